import type { z } from 'zod';
import { openApiSchema } from '../../../api/crd/crd.js';
import type { CrdSchema } from '../../../api/crd/crd-schema.js';
import type { KindDefinition } from '../../../api/v1beta1/kind.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { field, stringField } from '../object-fields.js';
import { formatPath } from './field-path.js';
import { unknownFields } from './unknown-fields.js';
import type { SchemaCheck } from './validate-manifests.js';

/**
 * What the apiserver does with the CRD schema before any webhook runs, offline: unknown fields
 * (which `kubectl apply` rejects with its default, strict field validation), type and enum
 * errors, and the object with the schema's defaults applied.
 */
export function crdSchemaCheck(
  definitions: readonly KindDefinition[],
  byVersion: Readonly<Record<string, readonly KindDefinition[]>> = {},
): SchemaCheck {
  // Built on first use: every CLI start builds this check, few run it.
  const schemas = new Map<string, CrdSchema>();
  return (kind, object) => {
    // The object's own version's schema (v1beta2's status differs); the default one otherwise.
    const version = stringField(object, 'apiVersion').split('/')[1] ?? '';
    const candidates = byVersion[version] ?? definitions;
    const definition = candidates.find((candidate) => candidate.kind === kind);
    if (definition === undefined) return { errors: [], object };
    const key = `${version}/${kind}`;
    const schema = schemas.get(key) ?? openApiSchema(definition);
    schemas.set(key, schema);
    const unknown = unknownFields(schema, object);
    const parsed = definition.object.safeParse(object);
    if (!parsed.success)
      return {
        errors: [...unknown, ...parsed.error.issues.map((issue) => issueToFieldError(issue, object))],
        object,
      };
    return { errors: unknown, object: parsed.data };
  };
}

function issueToFieldError(issue: z.core.$ZodIssue, object: unknown): FieldError {
  const path = issue.path.map(String);
  const fieldPath = formatPath(issue.path.map((part) => (typeof part === 'number' ? part : String(part))));
  const value = field(object, ...path);
  if (value === undefined) return fieldError.required(fieldPath, '');
  if (issue.code === 'invalid_value')
    return fieldError.notSupported(fieldPath, value, issue.values.map(String));
  return fieldError.invalid(fieldPath, value, issue.message);
}
