import { fieldError, type FieldError } from '../field-errors.js';
import type { AdmissionAttributes, KindAdmission } from '../kind-admission.js';
import { field, jsonEqual } from '../object-fields.js';
import { foreignNamespaceErrors } from '../rules/own-namespace.js';

/**
 * A host stands for one Robot server; its serverID never changes, and what it references stays
 * in its namespace. (CAPH also rejects a second
 * host with the same serverID at create time; that needs a cluster lookup and is done by the
 * host reconciler, which reports the conflict in a condition.)
 */
function validate({ operation, object, oldObject, namespace }: AdmissionAttributes): FieldError[] {
  if (operation !== 'CREATE' && operation !== 'UPDATE') return [];
  const references = foreignNamespaceErrors(object, namespace, namespacedReferences);
  if (operation !== 'UPDATE') return references;
  const [before, after] = [field(oldObject, 'spec', 'serverID'), field(object, 'spec', 'serverID')];
  return jsonEqual(before, after)
    ? references
    : [fieldError.invalid('spec.serverID', after ?? null, 'serverID is immutable'), ...references];
}

/** The host's references that carry a namespace: the bootstrap Secret and the consuming machine. */
const namespacedReferences = [
  ['spec', 'status', 'userData', 'namespace'],
  ['spec', 'consumerRef', 'namespace'],
] as const;

export const hetznerBareMetalHostAdmission: KindAdmission = {
  kind: 'HetznerBareMetalHost',
  plural: 'hetznerbaremetalhosts',
  validate,
};
