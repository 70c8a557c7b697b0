import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetaConditionSchema } from '../v1beta1/common.js';
import {
  HCloudMachineConditions,
  HCloudRemediationConditions,
  HetznerBareMetalHostConditions,
  HetznerBareMetalMachineConditions,
  HetznerClusterConditions,
  MachineRemediationConditions,
  type ConditionSpelling,
  type KindConditions,
} from './index.js';

const kinds: Readonly<Record<string, KindConditions>> = {
  HCloudMachine: HCloudMachineConditions,
  HCloudRemediation: HCloudRemediationConditions,
  Machine: MachineRemediationConditions,
  HetznerBareMetalHost: HetznerBareMetalHostConditions,
  HetznerBareMetalMachine: HetznerBareMetalMachineConditions,
  HetznerCluster: HetznerClusterConditions,
};

function spellings(kind: KindConditions): ConditionSpelling[] {
  return Object.values(kind).flatMap((definition) =>
    [definition.v1beta1, definition.v1beta2].filter((s): s is ConditionSpelling => s !== undefined),
  );
}

describe('condition types and reasons', () => {
  it('has the v1beta1 types CAPH sets in the image-url flow, v1beta2 types keyed by their own name', () => {
    const imageUrlFlow: readonly KindConditions[] = [HCloudMachineConditions, HetznerBareMetalHostConditions];
    const v1beta1 = imageUrlFlow.flatMap((kind) =>
      Object.values(kind).flatMap((definition) => (definition.v1beta1 ? [definition.v1beta1.type] : [])),
    );
    assert.deepEqual([...new Set(v1beta1)].sort(), [
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
    for (const [name, kind] of Object.entries(kinds)) {
      for (const [key, definition] of Object.entries(kind)) {
        assert.equal(definition.v1beta2?.type ?? definition.v1beta1?.type, key, `${name}/${key}`);
      }
    }
  });

  it('has every reason in a form the apiserver accepts in a metav1.Condition', () => {
    for (const [name, kind] of Object.entries(kinds)) {
      for (const { type, reasons } of spellings(kind)) {
        for (const reason of Object.values(reasons)) {
          const condition = {
            type,
            status: 'False',
            reason,
            message: '',
            lastTransitionTime: '2026-01-01T00:00:00Z',
          };
          assert.equal(MetaConditionSchema.safeParse(condition).success, true, `${name} ${type}/${reason}`);
        }
      }
    }
  });

  it('keeps CAPH’s exact strings where its two versions differ', () => {
    const provisioned = HCloudMachineConditions.ServerProvisioned;
    assert.equal(
      provisioned.v1beta1.reasons.StartImageURLCommandNonZeroExitCode,
      'StartImageURLCommandNoZeroExitCode',
    );
    assert.equal(
      provisioned.v1beta2.reasons.StartImageURLCommandNonZeroExitCode,
      'StartImageURLCommandNonZeroExitCode',
    );
    assert.equal(provisioned.v1beta1.reasons.RunningImageCommandTimedOut, 'RunningImageCommandTimedOut');
    assert.equal(
      provisioned.v1beta2.reasons.RunningImageURLCommandTimedOut,
      'RunningImageURLCommandTimedOut',
    );
    assert.equal(
      HCloudMachineConditions.ServerCreated.v1beta1.reasons.ServerCreateFailed,
      'ServerCreateFailedReason',
    );
    const host = HetznerBareMetalHostConditions.ProvisionSucceeded;
    assert.equal(host.v1beta1.reasons.StillProvisioning, 'StillProvisioning');
    assert.equal(host.v1beta2.reasons.Provisioning, 'Provisioning');
  });
});
