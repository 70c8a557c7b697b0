import { HOST_STATE_ANNOTATION } from '../../../api/v1beta1/annotations.js';
import { fieldError, type FieldError } from '../field-errors.js';
import type { AdmissionAttributes, KindAdmission } from '../kind-admission.js';
import { field, jsonEqual } from '../object-fields.js';
import { bookkeepingAnnotationErrors } from '../rules/bookkeeping-annotation.js';
import { foreignNamespaceErrors } from '../rules/own-namespace.js';

/**
 * A host stands for one Robot server; its serverID never changes, what it references stays in
 * its namespace, and its bookkeeping is the controller's. (CAPH also rejects a second
 * host with the same serverID at create time; that needs a cluster lookup and is done by the
 * host reconciler, which reports the conflict in a condition.)
 */
function validate(attributes: AdmissionAttributes): FieldError[] {
  const { operation, object, oldObject, namespace } = attributes;
  if (operation !== 'CREATE' && operation !== 'UPDATE') return [];
  const references = foreignNamespaceErrors(object, namespace, namespacedReferences);
  if (operation !== 'UPDATE') return references;
  const bookkeeping = bookkeepingAnnotationErrors(attributes, HOST_STATE_ANNOTATION);
  const [before, after] = [field(oldObject, 'spec', 'serverID'), field(object, 'spec', 'serverID')];
  const serverId = jsonEqual(before, after)
    ? []
    : [fieldError.invalid('spec.serverID', after ?? null, 'serverID is immutable')];
  return [...bookkeeping, ...serverId, ...references];
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
