import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MachineConditions } from '../../provisioning/index.js';
import { toV1beta2Conditions } from './conditions.js';

const at = (second: number): Date => new Date(Date.UTC(2026, 11, 8, 0, 0, second));

describe('HCloudMachine v1beta2 conditions (what Cluster API reads through the v1beta2 contract)', () => {
  it('lead with Ready True once every condition is, at the latest transition of the others', () => {
    const conditions: MachineConditions = {
      ServerCreated: { status: 'True', reason: 'Created', message: '', lastTransitionTime: at(1) },
      ServerProvisioned: { status: 'True', reason: 'Provisioned', message: '', lastTransitionTime: at(5) },
      HCloudRateLimitExceeded: {
        status: 'False',
        reason: 'NotExceeded',
        message: '',
        lastTransitionTime: at(2),
      },
    };
    const [ready, ...others] = toV1beta2Conditions(conditions, 3);
    assert.deepEqual(ready, {
      type: 'Ready',
      status: 'True',
      reason: 'Ready',
      message: '',
      lastTransitionTime: at(5).toISOString(),
      observedGeneration: 3,
    });
    assert.deepEqual(
      others.map((condition) => condition.type),
      ['HCloudRateLimitExceeded', 'ServerCreated', 'ServerProvisioned'],
    );
  });

  it('say NotReady, naming each condition in trouble (a rate limit hit is True)', () => {
    const conditions: MachineConditions = {
      ServerCreated: { status: 'True', reason: 'Created', message: '', lastTransitionTime: at(1) },
      ServerProvisioned: {
        status: 'False',
        reason: 'Provisioning',
        message: 'running the image-url command',
        lastTransitionTime: at(2),
      },
      HCloudRateLimitExceeded: {
        status: 'True',
        reason: 'Exceeded',
        message: 'wait 30s',
        lastTransitionTime: at(3),
      },
    };
    const [ready] = toV1beta2Conditions(conditions);
    assert.equal(ready?.status, 'False');
    assert.equal(ready.reason, 'NotReady');
    assert.equal(
      ready.message,
      '* HCloudRateLimitExceeded: wait 30s\n* ServerProvisioned: running the image-url command',
    );
  });

  it('say ReadyUnknown when nothing fails but something is unknown; no conditions, no Ready', () => {
    const conditions: MachineConditions = {
      ServerCreated: { status: 'Unknown', reason: 'Created', message: '', lastTransitionTime: at(1) },
    };
    const [ready] = toV1beta2Conditions(conditions);
    assert.equal(ready?.status, 'Unknown');
    assert.equal(ready.reason, 'ReadyUnknown');
    assert.deepEqual(toV1beta2Conditions({}), []);
  });
});
