import { fieldError, type FieldError } from '../field-errors.js';
import type { AdmissionAttributes, KindAdmission } from '../kind-admission.js';
import { field, jsonEqual, stringField } from '../object-fields.js';
import { validateHostSelector } from '../rules/host-selector.js';
import { validateInstallImage } from './install-image.js';

/** The create rules of a HetznerBareMetalMachine spec at `path` (`spec` or `spec.template.spec`). */
export function validateHetznerBareMetalMachineSpec(spec: unknown, path: string): FieldError[] {
  return [
    ...validateInstallImage(field(spec, 'installImage'), `${path}.installImage`),
    ...validateHostSelector(`${path}.hostSelector`, field(spec, 'hostSelector')),
  ];
}

/** As CAPH: the machine's install and host choice are fixed; a providerID once set never changes. */
function updateErrors(oldSpec: unknown, newSpec: unknown): FieldError[] {
  const errors = (['installImage', 'sshSpec', 'hostSelector'] as const)
    .filter((name) => !jsonEqual(field(oldSpec, name), field(newSpec, name)))
    .map((name) => fieldError.forbidden(`spec.${name}`, `${name} is immutable`));
  const oldProviderID = stringField(oldSpec, 'providerID');
  if (oldProviderID !== '' && stringField(newSpec, 'providerID') !== oldProviderID) {
    errors.push(fieldError.forbidden('spec.providerID', 'providerID is immutable'));
  }
  return errors;
}

/** Create rules are not re-run on update (as CAPH): the immutable fields already passed them. */
function validate({ operation, object, oldObject }: AdmissionAttributes): FieldError[] {
  if (operation === 'CREATE') return validateHetznerBareMetalMachineSpec(field(object, 'spec'), 'spec');
  if (operation === 'UPDATE') return updateErrors(field(oldObject, 'spec'), field(object, 'spec'));
  return [];
}

export const hetznerBareMetalMachineAdmission: KindAdmission = {
  kind: 'HetznerBareMetalMachine',
  plural: 'hetznerbaremetalmachines',
  validate,
};
