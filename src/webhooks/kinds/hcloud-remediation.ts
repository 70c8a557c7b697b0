import type { FieldError } from '../field-errors.js';
import type { AdmissionAttributes, KindAdmission } from '../kind-admission.js';
import { field } from '../object-fields.js';
import { validateRemediationStrategy } from './remediation-strategy.js';

/** CAPH validates nothing here; a strategy the controller cannot act on is rejected (see the rule). */
function validate(attributes: AdmissionAttributes): FieldError[] {
  const { operation, object } = attributes;
  if (operation !== 'CREATE' && operation !== 'UPDATE') return [];
  return validateRemediationStrategy(field(object, 'spec', 'strategy'), 'spec.strategy');
}

export const hcloudRemediationAdmission: KindAdmission = {
  kind: 'HCloudRemediation',
  plural: 'hcloudremediations',
  validate,
};
