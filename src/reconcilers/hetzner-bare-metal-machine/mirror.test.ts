import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ControllerGeneratedStatus } from '../../../api/v1beta1/index.js';
import {
  addressesOf,
  hostReadyObservation,
  providerIdFor,
  remediationReason,
  sameAddresses,
} from './mirror.js';
import type { BareMetalHostObject, HetznerClusterObject } from './types.js';

function host(status: Partial<ControllerGeneratedStatus> = {}, maintenanceMode = false): BareMetalHostObject {
  return {
    metadata: { name: 'bm-0', namespace: 'ns' },
    spec: { serverID: 42, maintenanceMode, status: { hetznerClusterRef: 'c', errorCount: 0, ...status } },
  };
}

function hetznerCluster(annotations?: Record<string, string>): HetznerClusterObject {
  return { metadata: { name: 'c', ...(annotations ? { annotations } : {}) } } as HetznerClusterObject;
}

describe('host mirrored into the machine', () => {
  it('forms the providerID as CAPH does, hrobot:// only with the annotation "true" (any case, trimmed)', () => {
    assert.equal(providerIdFor(hetznerCluster(), 42), 'hcloud://bm-42');
    const key = 'capi.syself.com/use-hrobot-provider-id-for-baremetal';
    assert.equal(providerIdFor(hetznerCluster({ [key]: ' TRUE ' }), 42), 'hrobot://42');
    assert.equal(providerIdFor(hetznerCluster({ [key]: 'yes' }), 42), 'hcloud://bm-42');
  });

  it('lists NIC IPs (suffix dropped, public → ExternalIP), the host ipv6, then Hostname and InternalDNS', () => {
    const found = addressesOf(
      host({
        ipv4: '203.0.113.5',
        ipv6: '2001:db8::1',
        hardwareDetails: { nics: [{ ip: '203.0.113.5/26' }, { ip: '10.0.0.5/24' }] },
      }),
      'worker-1',
    );
    assert.deepEqual(found, [
      { type: 'ExternalIP', address: '203.0.113.5' },
      { type: 'InternalIP', address: '10.0.0.5' },
      { type: 'ExternalIP', address: '2001:db8::1' },
      { type: 'Hostname', address: 'worker-1' },
      { type: 'InternalDNS', address: 'worker-1' },
    ]);
    assert.equal(addressesOf(host(), 'worker-1'), undefined, 'nothing known yet');
  });

  it('mirrors the host Ready condition, or judges by the provisioning state without one', () => {
    const ready = hostReadyObservation(
      host({
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'ImageURLCommandTimedOut',
            severity: 'Error',
            message: 'timed out',
            lastTransitionTime: '2026-01-01T00:00:00Z',
          },
        ],
      }),
    );
    assert.deepEqual(ready.v1, {
      type: 'HostReady',
      status: 'False',
      reason: 'ImageURLCommandTimedOut',
      severity: 'Error',
      message: 'timed out',
    });
    assert.equal(ready.v2?.reason, 'NotReady');
    const installing = hostReadyObservation(host({ provisioningState: 'image-installing' }));
    assert.equal(installing.v1?.message, 'host (bm-0) is still provisioning - state "image-installing"');
    assert.equal(hostReadyObservation(host({ provisioningState: 'provisioned' })).v1?.status, 'True');
  });

  it('asks for remediation on maintenance and on fatal or permanent errors only', () => {
    assert.equal(remediationReason(host({}, true)), 'host machine in maintenance mode');
    assert.equal(
      remediationReason(host({ errorType: 'permanent error', errorMessage: 'no rescue' })),
      'host bm-0 has a permanent error: no rescue',
    );
    assert.equal(
      remediationReason(host({ errorType: 'provisioning error', errorMessage: 'retrying' })),
      undefined,
    );
  });

  it('compares addresses by field, not by the key order the apiserver returns them in', () => {
    const computed = addressesOf(host({ ipv4: '203.0.113.5' }), 'm1') ?? [];
    const stored = JSON.parse(
      JSON.stringify(computed.map((a) => ({ address: a.address, type: a.type }))),
    ) as typeof computed;
    assert.ok(sameAddresses(computed, stored));
    assert.ok(!sameAddresses(computed, stored.slice(1)));
  });
});
