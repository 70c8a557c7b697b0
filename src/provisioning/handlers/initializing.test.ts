import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture } from '../../../test/fixtures/provisioning-fixture.js';

async function initializing(): Promise<ProvisioningFixture> {
  const fx = new ProvisioningFixture();
  fx.waitAsAsked(await fx.runUntil('Initializing')); // the first look is due
  return fx;
}

describe('boot state Initializing', () => {
  it('looks again soon while the create action runs (nothing learned yet), with HCloudTokenAvailable True', async () => {
    const fx = await initializing();
    const outcome = await fx.step();
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 500 });
    assert.equal(fx.status.bootState, 'Initializing');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'CreatingServer');
    assert.equal(fx.condition('HCloudTokenAvailable')?.status, 'True');
    assert.equal(fx.cloud.count('enableRescue'), 0);
  });

  it('a failed create action fails the machine and asks for remediation', async () => {
    const fx = await initializing();
    const action = fx.cloud.actions.get(fx.status.externalIDs?.actionIdCreateServer ?? 0);
    assert.ok(action);
    action.pollsLeft = 0;
    action.outcome = 'error';
    action.error = { code: 'action_failed', message: 'Action failed' };
    const outcome = await fx.step();
    assert.equal(fx.status.bootState, 'ProvisioningFailed');
    assert.equal(outcome.remediate, true);
    assert.deepEqual(outcome.requeue, { kind: 'none' });
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'CreationFailed');
    assert.match(
      fx.condition('ServerProvisioned')?.message ?? '',
      /failed \(wait for server create\): Action failed/,
    );
    assert.equal(fx.events.withReason('HCloudMachineWillBeRemediated').length, 1);
    assert.equal(fx.cloud.count('enableRescue'), 0);
  });

  it('a missing create action id fails with ActionIDCreateServerNotSet', async () => {
    const fx = await initializing();
    fx.status = { ...fx.status, externalIDs: {} };
    const outcome = await fx.step();
    assert.equal(fx.status.bootState, 'ProvisioningFailed');
    assert.equal(outcome.remediate, true);
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'ActionIDCreateServerNotSet');
    assert.equal(fx.cloud.count('getAction'), 0);
  });

  it('a failing GetAction is an error ("GetAction failed") with the reason Unknown, retried with backoff', async () => {
    const fx = await initializing();
    fx.cloud.fail('getAction', 'server_error', 'internal server error');
    const outcome = await fx.step();
    assert.equal(outcome.result, 'error');
    assert.ok(outcome.requeue.kind === 'backoff');
    assert.match(String(outcome.requeue.cause), /GetAction failed: internal server error/);
    assert.equal(fx.condition('ServerProvisioned')?.status, 'Unknown');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'GettingServerCreationStatusFailed');
    assert.equal(fx.status.bootState, 'Initializing');
    assert.equal(fx.status.consecutiveErrors, 1);
  });

  it('retries EnableRescue after 5 s while the server is locked, keeping the finished create action', async () => {
    const fx = await initializing();
    fx.waitAsAsked(await fx.step()); // the create action still runs; its next look is due
    fx.cloud.fail('enableRescue', 'locked');
    const outcome = await fx.step();
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 5_000 });
    assert.equal(fx.status.externalIDs?.actionIdCreateServer, -1);
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'EnablingRescueSystemFailed');
    assert.equal(fx.status.bootState, 'Initializing');
    await fx.step();
    assert.equal(fx.status.bootState, 'EnablingRescue');
  });

  it('an unauthorized EnableRescue leaves the state as it is and does not requeue', async () => {
    const fx = await initializing();
    fx.status = { ...fx.status, externalIDs: { actionIdCreateServer: -1 } };
    fx.cloud.fail('enableRescue', 'unauthorized', 'unable to authenticate');
    const outcome = await fx.step();
    assert.deepEqual(outcome.requeue, { kind: 'none' });
    assert.equal(fx.condition('HCloudTokenAvailable')?.reason, 'Invalid');
    assert.equal(fx.status.bootState, 'Initializing');
  });

  it('enables rescue with the machine SSH keys and moves on at once', async () => {
    const fx = await initializing();
    const outcome = await fx.runUntil('EnablingRescue');
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 500 }, 'the first look at enable_rescue');
    assert.deepEqual(fx.server()?.rescueKeys, ['ssh-key-1']);
    assert.ok((fx.status.externalIDs?.actionIdEnableRescueSystem ?? 0) > 0);
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'WaitingForRescueSystem');
  });

  it('treats an action id unknown to the API as an error', async () => {
    const fx = await initializing();
    fx.status = { ...fx.status, externalIDs: { actionIdCreateServer: 99 } };
    const outcome = await fx.step();
    assert.equal(outcome.result, 'error');
    assert.ok(outcome.requeue.kind === 'backoff');
    assert.match(String(outcome.requeue.cause), /hcloud action 99 not found/);
  });
});
