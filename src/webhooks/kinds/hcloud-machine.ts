import { HCLOUD_MACHINE_STATE_ANNOTATION } from '../../../api/v1beta1/annotations.js';
import { fieldError, type FieldError } from '../field-errors.js';
import type { AdmissionAttributes, KindAdmission } from '../kind-admission.js';
import { isRecord, stringField } from '../object-fields.js';
import { bookkeepingAnnotationErrors } from '../rules/bookkeeping-annotation.js';
import { immutableFieldErrors } from '../rules/immutable-fields.js';
import {
  defaultHCloudMachineSpec,
  IMMUTABLE_HCLOUD_MACHINE_FIELDS,
  validateHCloudMachineSpec,
} from './hcloud-machine-spec.js';

function validate(attributes: AdmissionAttributes): FieldError[] {
  const { operation, object, oldObject } = attributes;
  if (operation !== 'CREATE' && operation !== 'UPDATE') return [];
  const spec = isRecord(object) ? object['spec'] : undefined;
  const immutable =
    operation === 'UPDATE'
      ? [
          ...bookkeepingAnnotationErrors(attributes, HCLOUD_MACHINE_STATE_ANNOTATION),
          ...immutableFieldErrors(oldObject, object, ['spec'], IMMUTABLE_HCLOUD_MACHINE_FIELDS),
          ...providerIdErrors(oldObject, object),
        ]
      : [];
  return [...immutable, ...validateHCloudMachineSpec(spec, 'spec')];
}

/**
 * The server a machine acts on never changes once set: a providerID pointed at another server
 * would make the controller reset or delete it. Setting it the first time stays possible (the
 * controller does, after creating the server).
 */
function providerIdErrors(oldObject: unknown, object: unknown): FieldError[] {
  const before = stringField(oldObject, 'spec', 'providerID');
  if (before === '' || stringField(object, 'spec', 'providerID') === before) return [];
  return [fieldError.forbidden('spec.providerID', 'providerID is immutable once set')];
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
