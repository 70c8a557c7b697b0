import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../field-errors.js';
import type { AdmissionAttributes } from '../kind-admission.js';
import { hetznerBareMetalHostAdmission } from './hetzner-bare-metal-host.js';

const host = (spec: Record<string, unknown>, namespace?: string): Record<string, unknown> => ({
  apiVersion: 'infrastructure.cluster.x-k8s.io/v1beta1',
  kind: 'HetznerBareMetalHost',
  metadata: { name: 'bm-1', ...(namespace === undefined ? {} : { namespace }) },
  spec: { serverID: 1, ...spec },
});

function errors(attributes: Partial<AdmissionAttributes>): string[] {
  return hetznerBareMetalHostAdmission
    .validate({ operation: 'CREATE', dryRun: false, object: undefined, oldObject: undefined, ...attributes })
    .map(formatFieldError);
}

const userData = (namespace: string): Record<string, unknown> => ({
  status: { userData: { name: 'bootstrap', namespace } },
});

describe('HetznerBareMetalHost admission', () => {
  it('refuses a bootstrap Secret reference into another namespace, on create and update', () => {
    const expected = [
      'spec.status.userData.namespace: Invalid value: "victims": must be empty or the object\'s own namespace "team-a": references never leave it',
    ];
    const object = host(userData('victims'));
    assert.deepEqual(errors({ object, namespace: 'team-a' }), expected);
    assert.deepEqual(
      errors({ operation: 'UPDATE', object, oldObject: host({}), namespace: 'team-a' }),
      expected,
    );
  });

  it('refuses a consumerRef into another namespace', () => {
    const object = host({ consumerRef: { name: 'm', namespace: 'victims' } });
    assert.deepEqual(errors({ object, namespace: 'team-a' }), [
      'spec.consumerRef.namespace: Invalid value: "victims": must be empty or the object\'s own namespace "team-a": references never leave it',
    ]);
  });

  it('admits references without a namespace or with its own', () => {
    assert.deepEqual(errors({ object: host(userData('')), namespace: 'team-a' }), []);
    assert.deepEqual(errors({ object: host(userData('team-a')), namespace: 'team-a' }), []);
    assert.deepEqual(
      errors({ object: host({ consumerRef: { name: 'm', namespace: 'team-a' } }), namespace: 'team-a' }),
      [],
    );
  });

  it("judges an offline manifest by its own metadata.namespace, and leaves one without any to kubectl's context", () => {
    assert.equal(errors({ object: host(userData('victims'), 'team-a') }).length, 1);
    assert.deepEqual(errors({ object: host(userData('victims')) }), []);
  });

  it('keeps serverID immutable', () => {
    assert.deepEqual(
      errors({ operation: 'UPDATE', object: host({ serverID: 2 }), oldObject: host({}), namespace: 'n' }),
      ['spec.serverID: Invalid value: 2: serverID is immutable'],
    );
  });
});
