import { fieldError, type FieldError } from '../field-errors.js';
import { stringField } from '../object-fields.js';

/**
 * References resolve in the object's own namespace. Whoever may edit an object must not make
 * the controller read another namespace's Secret (and upload it into their server) or act for
 * another namespace's machine, so a reference that names a namespace may name only its own.
 * `paths` are the reference namespaces to check, e.g. `['spec', 'status', 'userData', 'namespace']`.
 */
export function foreignNamespaceErrors(
  object: unknown,
  namespace: string | undefined,
  paths: readonly (readonly string[])[],
): FieldError[] {
  const own = namespace || stringField(object, 'metadata', 'namespace');
  return paths.flatMap((path) => {
    const named = stringField(object, ...path);
    // Unknown own namespace (an offline manifest without one): kubectl decides it later.
    if (named === '' || own === '' || named === own) return [];
    return [
      fieldError.invalid(
        path.join('.'),
        named,
        `must be empty or the object's own namespace ${JSON.stringify(own)}: references never leave it`,
      ),
    ];
  });
}
