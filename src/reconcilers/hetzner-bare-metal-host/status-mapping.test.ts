import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HostStatus } from '../../baremetal/index.js';
import { hostStateAnnotationOf, ownedSpecStatus, readHostStatus } from './status-mapping.js';
import { HOST_STATE_ANNOTATION, type BareMetalHostObject } from './types.js';

const at = new Date('2026-01-02T03:04:05.000Z');

const status: HostStatus = {
  provisioningState: 'image-installing',
  ipv4: '203.0.113.7',
  ipv6: '2001:db8::1',
  rebootTypes: ['sw', 'hw'],
  rebootTriggeredAt: at,
  hardwareDetails: { storage: [{ sizeBytes: 1e9, sizeGB: 1, wwn: '0x5000c500a' }] },
  sshStatus: { rescueKey: { name: 'rescue', fingerprint: 'aa:bb' } },
  errorType: 'provisioning error',
  errorMessage: 'ssh: connection refused',
  errorCount: 2,
  conditions: {
    ProvisionSucceeded: {
      status: 'False',
      reason: 'StillProvisioning',
      message: 'host (h) is still provisioning - state "image-installing"',
      severity: 'Info',
      lastTransitionTime: at,
    },
  },
  provisioningStateSince: at,
  imageUrlCommandStartedAt: at,
  rescueHostKey: 'SHA256:abc',
  rescueHostKeysFromRobot: ['MD5:c1:e4:08:73:dd:f7:e9:d1:94:ab:e9:0f:28:b2:d2:ed'],
  osHostKey: 'SHA256:def',
  lastReboot: 'sw',
  rescueResets: 1,
  rescueResetAt: at,
};

/** The host as the apiserver returns it after persistHostStatus wrote `written`. */
function stored(written: HostStatus): BareMetalHostObject {
  const owned = JSON.parse(JSON.stringify(ownedSpecStatus(written))) as Record<string, unknown>;
  const specStatus = Object.fromEntries(Object.entries(owned).filter(([, value]) => value !== null));
  return {
    metadata: {
      name: 'h',
      namespace: 'ns',
      annotations: { [HOST_STATE_ANNOTATION]: hostStateAnnotationOf(written) },
    },
    spec: { serverID: 1, status: { hetznerClusterRef: 'c', ...specStatus } as never },
  };
}

describe('HetznerBareMetalHost status mapping (spec.status + annotation)', () => {
  it('reads back exactly what it wrote (host-key pins included: they survive a restart), so an unchanged status is never written again', () => {
    const read = readHostStatus(stored(status));
    assert.deepEqual(read, status);
    assert.equal(JSON.stringify(ownedSpecStatus(read)), JSON.stringify(ownedSpecStatus(status)));
  });

  it('writes both condition formats, the Ready summary, and null for what the core cleared', () => {
    const owned = ownedSpecStatus({ provisioningState: '', conditions: status.conditions ?? {} });
    assert.deepEqual(
      (owned.conditions as { type: string; reason?: string }[]).map((c) => [c.type, c.reason]),
      [
        ['Ready', 'StillProvisioning'],
        ['ProvisionSucceeded', 'StillProvisioning'],
      ],
    );
    assert.deepEqual(
      (owned.v1beta2 as { conditions: { type: string; reason: string }[] }).conditions.map((c) => [
        c.type,
        c.reason,
      ]),
      [['ProvisionSucceeded', 'Provisioning']],
    );
    assert.equal(owned.ipv4, null);
    assert.equal(owned.errorType, null);
    assert.equal(owned.errorCount, 0);
  });
});
