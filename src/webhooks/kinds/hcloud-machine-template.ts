import { fieldError, type FieldError } from '../field-errors.js';
import type { AdmissionAttributes, KindAdmission } from '../kind-admission.js';
import { isTopologyDryRun } from '../rules/topology-dry-run.js';
import { field, isRecord, jsonEqual } from '../object-fields.js';
import { defaultHCloudMachineSpec, validateHCloudMachineSpec } from './hcloud-machine-spec.js';

/**
 * Templates are immutable (machines are rolled out from a new template instead); Cluster API's
 * topology controller may still dry-run changes. The template's machine spec obeys the
 * HCloudMachine rules, reported at its real path `spec.template.spec.*`.
 */
function validate(attributes: AdmissionAttributes): FieldError[] {
  const { operation, object, oldObject } = attributes;
  if (operation !== 'CREATE' && operation !== 'UPDATE') return [];
  const errors: FieldError[] = [];
  if (
    operation === 'UPDATE' &&
    !isTopologyDryRun(attributes) &&
    !jsonEqual(field(oldObject, 'spec'), field(object, 'spec'))
  ) {
    errors.push(fieldError.invalid('spec', field(object, 'spec'), 'HCloudMachineTemplate.Spec is immutable'));
  }
  return [
    ...errors,
    ...validateHCloudMachineSpec(field(object, 'spec', 'template', 'spec'), 'spec.template.spec'),
  ];
}

function applyDefaults(object: unknown): unknown {
  const spec = field(object, 'spec');
  const template = field(spec, 'template');
  if (!isRecord(object) || !isRecord(spec) || !isRecord(template)) return object;
  const machineSpec = defaultHCloudMachineSpec(template['spec'] ?? {});
  return { ...object, spec: { ...spec, template: { ...template, spec: machineSpec } } };
}

export const hcloudMachineTemplateAdmission: KindAdmission = {
  kind: 'HCloudMachineTemplate',
  plural: 'hcloudmachinetemplates',
  validate,
  default: applyDefaults,
};
