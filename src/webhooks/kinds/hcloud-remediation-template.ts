import type { FieldError } from '../field-errors.js';
import type { AdmissionAttributes, KindAdmission } from '../kind-admission.js';
import { field } from '../object-fields.js';
import { validateRemediationStrategy } from './remediation-strategy.js';

/**
 * The strategy every HCloudRemediation made from the template gets, checked once here, at its
 * real path. Not immutable (CAPH's is not either): a MachineHealthCheck copies the template when
 * it remediates, so a change affects only later remediations.
 */
function validate(attributes: AdmissionAttributes): FieldError[] {
  const { operation, object } = attributes;
  if (operation !== 'CREATE' && operation !== 'UPDATE') return [];
  const strategy = field(object, 'spec', 'template', 'spec', 'strategy');
  return validateRemediationStrategy(strategy, 'spec.template.spec.strategy');
}

export const hcloudRemediationTemplateAdmission: KindAdmission = {
  kind: 'HCloudRemediationTemplate',
  plural: 'hcloudremediationtemplates',
  validate,
};
