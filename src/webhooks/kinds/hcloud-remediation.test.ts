import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { examples, HCloudRemediationTemplateSchema } from '../../../api/v1beta1/index.js';
import { formatFieldError } from '../field-errors.js';
import type { AdmissionOperation, KindAdmission } from '../kind-admission.js';
import { hcloudRemediationAdmission } from './hcloud-remediation.js';
import { hcloudRemediationTemplateAdmission } from './hcloud-remediation-template.js';

function validate(
  admission: KindAdmission,
  object: unknown,
  operation: AdmissionOperation = 'CREATE',
): string[] {
  return admission.validate({ operation, dryRun: false, object, oldObject: object }).map(formatFieldError);
}

function remediation(strategy: Record<string, unknown> | undefined): unknown {
  return {
    kind: 'HCloudRemediation',
    metadata: { name: 'worker-1' },
    spec: strategy === undefined ? {} : { strategy: { type: 'Reboot', cooldown: '30m', ...strategy } },
  };
}

describe('HCloudRemediation and HCloudRemediationTemplate admission', () => {
  it('admits CAPH’s remediation template, with the CRD’s defaults applied, unchanged', () => {
    const defaulted = HCloudRemediationTemplateSchema.parse(examples.hcloudRemediationTemplate);
    assert.equal(defaulted.spec?.template.spec.strategy?.cooldown, '30m');
    assert.deepEqual(validate(hcloudRemediationTemplateAdmission, defaulted), []);
    assert.deepEqual(validate(hcloudRemediationTemplateAdmission, defaulted, 'UPDATE'), []);
  });

  it('admits remediations as a MachineHealthCheck creates them, and one without a strategy', () => {
    assert.deepEqual(
      validate(hcloudRemediationAdmission, remediation({ retryLimit: 1, timeout: '180s' })),
      [],
    );
    assert.deepEqual(validate(hcloudRemediationAdmission, remediation({ timeout: '1h30m' })), []);
    assert.deepEqual(validate(hcloudRemediationAdmission, remediation(undefined)), []);
  });

  it('rejects a timeout that is no Go duration or not positive, naming the field, value and syntax', () => {
    assert.deepEqual(validate(hcloudRemediationAdmission, remediation({ timeout: '3 minutes' })), [
      'spec.strategy.timeout: Invalid value: "3 minutes": must be a positive duration such as "180s", "10m" or "1h30m"',
    ]);
    assert.deepEqual(validate(hcloudRemediationAdmission, remediation({ timeout: '0s' })), [
      'spec.strategy.timeout: Invalid value: "0s": must be a positive duration such as "180s", "10m" or "1h30m"',
    ]);
  });

  it('rejects an unknown strategy type, a negative retry limit and a negative cooldown', () => {
    const errors = validate(
      hcloudRemediationAdmission,
      remediation({ type: 'Reprovision', retryLimit: -1, timeout: '10m', cooldown: '-1m' }),
    );
    assert.deepEqual(errors, [
      'spec.strategy.type: Unsupported value: "Reprovision": supported values: "Reboot"',
      'spec.strategy.retryLimit: Invalid value: -1: must be 0 or more',
      'spec.strategy.cooldown: Invalid value: "-1m": must be a non-negative duration such as "180s", "10m" or "1h30m"',
    ]);
  });

  it('reports a template’s strategy at its real path', () => {
    const template = structuredClone(examples.hcloudRemediationTemplate);
    template.spec.template.spec.strategy.timeout = 'soon';
    assert.deepEqual(validate(hcloudRemediationTemplateAdmission, template), [
      'spec.template.spec.strategy.timeout: Invalid value: "soon": must be a positive duration such as "180s", "10m" or "1h30m"',
    ]);
  });
});
