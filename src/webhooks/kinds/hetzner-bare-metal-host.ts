import { fieldError, type FieldError } from '../field-errors.js';
import type { AdmissionAttributes, KindAdmission } from '../kind-admission.js';
import { field, jsonEqual } from '../object-fields.js';

/**
 * A host stands for one Robot server; its serverID never changes. (CAPH also rejects a second
 * host with the same serverID at create time; that needs a cluster lookup and is done by the
 * host reconciler, which reports the conflict in a condition.)
 */
function validate({ operation, object, oldObject }: AdmissionAttributes): FieldError[] {
  if (operation !== 'UPDATE') return [];
  const [before, after] = [field(oldObject, 'spec', 'serverID'), field(object, 'spec', 'serverID')];
  return jsonEqual(before, after)
    ? []
    : [fieldError.invalid('spec.serverID', after ?? null, 'serverID is immutable')];
}

export const hetznerBareMetalHostAdmission: KindAdmission = {
  kind: 'HetznerBareMetalHost',
  plural: 'hetznerbaremetalhosts',
  validate,
};
