import type { FieldError } from '../field-errors.js';
import type { AdmissionAttributes, KindAdmission } from '../kind-admission.js';
import { isRecord } from '../object-fields.js';
import { immutableFieldErrors } from '../rules/immutable-fields.js';
import {
  defaultHCloudMachineSpec,
  IMMUTABLE_HCLOUD_MACHINE_FIELDS,
  validateHCloudMachineSpec,
} from './hcloud-machine-spec.js';

function validate({ operation, object, oldObject }: AdmissionAttributes): FieldError[] {
  if (operation !== 'CREATE' && operation !== 'UPDATE') return [];
  const spec = isRecord(object) ? object['spec'] : undefined;
  const immutable =
    operation === 'UPDATE'
      ? immutableFieldErrors(oldObject, object, ['spec'], IMMUTABLE_HCLOUD_MACHINE_FIELDS)
      : [];
  return [...immutable, ...validateHCloudMachineSpec(spec, 'spec')];
}

function applyDefaults(object: unknown): unknown {
  if (!isRecord(object)) return object;
  return { ...object, spec: defaultHCloudMachineSpec(object['spec'] ?? {}) };
}

export const hcloudMachineAdmission: KindAdmission = {
  kind: 'HCloudMachine',
  plural: 'hcloudmachines',
  validate,
  default: applyDefaults,
};
