import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetaConditionSchema } from './common.js';
import { V1Beta1Conditions, V1Beta2Conditions } from './conditions.js';

describe('condition types and reasons', () => {
  it('has the v1beta1 types CAPH sets in the image-url flow, each keyed by its own name', () => {
    assert.deepEqual(Object.keys(V1Beta1Conditions).sort(), [
      'BootstrapReady',
      'HCloudTokenAvailable',
      'HetznerAPIReachable',
      'ProvisionSucceeded',
      'Ready',
      'SSHPrivateKeyAvailable',
      'ServerAvailable',
      'ServerCreateSucceeded',
      'ServerProvisioned',
    ]);
    for (const [key, { type }] of Object.entries({ ...V1Beta1Conditions, ...V1Beta2Conditions })) {
      assert.equal(type, key);
    }
  });

  it('has every reason in a form the apiserver accepts in a metav1.Condition', () => {
    const all: { type: string; reasons: Readonly<Record<string, string>> }[] = [
      ...Object.values(V1Beta1Conditions),
      ...Object.values(V1Beta2Conditions),
    ];
    for (const { type, reasons } of all) {
      for (const reason of Object.values(reasons)) {
        const condition = {
          type,
          status: 'False',
          reason,
          message: '',
          lastTransitionTime: '2026-01-01T00:00:00Z',
        };
        assert.equal(MetaConditionSchema.safeParse(condition).success, true, `${type}/${reason}`);
      }
    }
  });

  it('keeps CAPH’s exact strings where its two versions differ', () => {
    assert.equal(
      V1Beta1Conditions.ServerProvisioned.reasons.StartImageURLCommandNonZeroExitCode,
      'StartImageURLCommandNoZeroExitCode',
    );
    assert.equal(
      V1Beta2Conditions.ServerProvisioned.reasons.StartImageURLCommandNonZeroExitCode,
      'StartImageURLCommandNonZeroExitCode',
    );
    assert.equal(
      V1Beta1Conditions.ServerProvisioned.reasons.RunningImageCommandTimedOut,
      'RunningImageCommandTimedOut',
    );
    assert.equal(
      V1Beta2Conditions.ServerProvisioned.reasons.RunningImageURLCommandTimedOut,
      'RunningImageURLCommandTimedOut',
    );
    assert.equal(
      V1Beta1Conditions.ServerCreateSucceeded.reasons.ServerCreateFailed,
      'ServerCreateFailedReason',
    );
    assert.equal(V1Beta1Conditions.ProvisionSucceeded.reasons.StillProvisioning, 'StillProvisioning');
    assert.equal(V1Beta2Conditions.ProvisionSucceeded.reasons.Provisioning, 'Provisioning');
  });
});
