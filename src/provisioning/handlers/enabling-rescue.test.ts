import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture } from '../../../test/fixtures/provisioning-fixture.js';

async function enablingRescue(options: { actionPolls?: number } = {}): Promise<ProvisioningFixture> {
  const fx = new ProvisioningFixture();
  fx.cloud.actionPolls['enable_rescue'] = options.actionPolls ?? 0;
  fx.waitAsAsked(await fx.runUntil('EnablingRescue')); // the first look is due
  return fx;
}

describe('boot state EnablingRescue', () => {
  it('looks again while the rescue action runs, then powers on into rescue in the same call', async () => {
    const fx = await enablingRescue({ actionPolls: 1 });
    const waiting = await fx.step();
    assert.deepEqual(waiting.requeue, { kind: 'after', ms: 500 });
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'WaitingForEnablingRescueAction');
    assert.equal(fx.cloud.count('powerOn'), 0);
    fx.waitAsAsked(waiting);
    const booted = await fx.step();
    assert.equal(fx.status.bootState, 'BootingToRescue');
    assert.deepEqual(booted.requeue, { kind: 'after', ms: 250 }, 'no rescue boot seen yet: probe soon');
    assert.equal(fx.status.externalIDs?.actionIdEnableRescueSystem, -1);
    assert.equal(fx.cloud.count('powerOn'), 1);
    assert.equal(fx.host()?.system, 'rescue');
  });

  it('with the action done (-1) and the server locked, retries PowerOn after 5 s and stays', async () => {
    const fx = await enablingRescue();
    fx.status = { ...fx.status, externalIDs: { ...fx.status.externalIDs, actionIdEnableRescueSystem: -1 } };
    fx.cloud.fail('powerOn', 'locked');
    const outcome = await fx.step();
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 5_000 });
    assert.equal(fx.status.bootState, 'EnablingRescue');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'PoweringOnServerFailed');
    assert.equal(fx.cloud.count('getAction') > 0, true);
  });

  it('unauthorized GetAction or PowerOn: no error, no requeue, token condition False, state kept', async () => {
    for (const method of ['getAction', 'powerOn'] as const) {
      const fx = await enablingRescue();
      fx.cloud.fail(method, 'unauthorized', 'unable to authenticate');
      const outcome = await fx.step();
      assert.equal(outcome.result, 'blocked', method);
      assert.deepEqual(outcome.requeue, { kind: 'none' });
      assert.equal(fx.condition('HCloudTokenAvailable')?.status, 'False');
      assert.equal(fx.condition('HCloudTokenAvailable')?.reason, 'Invalid');
      assert.equal(fx.status.bootState, 'EnablingRescue');
    }
  });

  it('rate limited → error naming the call, conditions and event; no API call while waiting it out', async () => {
    const fx = await enablingRescue();
    fx.cloud.fail('getAction', 'rate_limit_exceeded', 'rate limit exceeded for ip 48.49.48.49');
    const limited = await fx.step();
    assert.ok(limited.requeue.kind === 'backoff');
    assert.equal(
      (limited.requeue.cause as Error).message,
      'failed to get enabling rescue action: rate limit exceeded for ip 48.49.48.49 (rate_limit_exceeded)',
    );
    assert.equal(fx.condition('HCloudRateLimitExceeded')?.status, 'True');
    assert.equal(fx.condition('HCloudRateLimitExceeded')?.reason, 'Exceeded');
    assert.equal(fx.events.withReason('RateLimitExceeded').length, 1);

    const calls = fx.cloud.count();
    fx.clock.advance(60_000);
    const waiting = await fx.step();
    assert.equal(fx.cloud.count(), calls, 'no API call during the wait');
    assert.deepEqual(waiting.requeue, { kind: 'after', ms: 30_000 });

    fx.clock.advance(4 * 60_000);
    await fx.step();
    assert.ok(fx.cloud.count() > calls);
    assert.equal(fx.condition('HCloudRateLimitExceeded')?.status, 'False');
    assert.equal(fx.status.bootState, 'BootingToRescue');
  });

  it('fails with EnablingRescueActionFailed when the rescue action fails', async () => {
    const fx = await enablingRescue();
    const action = fx.cloud.actions.get(fx.status.externalIDs?.actionIdEnableRescueSystem ?? 0);
    assert.ok(action);
    action.outcome = 'error';
    action.error = { code: 'action_failed', message: 'Action failed' };
    const outcome = await fx.step();
    assert.equal(outcome.remediate, true);
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'EnablingRescueActionFailed');
    assert.equal(fx.cloud.count('powerOn'), 0);
  });

  it('fails with ActionIDForEnablingRescueSystemNotSet when the action id is missing', async () => {
    const fx = await enablingRescue();
    fx.status = { ...fx.status, externalIDs: { actionIdCreateServer: -1 } };
    await fx.step();
    assert.equal(fx.status.bootState, 'ProvisioningFailed');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'ActionIDForEnablingRescueSystemNotSet');
  });

  it('resets an adopted server that is already running (a power-on would not boot it into rescue)', async () => {
    const labels = {
      'caph-cluster-my-cluster': 'owned',
      'machine.caph-name': 'my-machine',
      machine_type: 'worker',
      'imageurl.io/namespace': 'default',
    };
    const fx = new ProvisioningFixture();
    const server = fx.cloud.addServer({ name: 'my-machine', status: 'off', labels });
    fx.cloud.boot(server);
    await fx.runUntil('BootingToRescue');
    assert.equal(fx.cloud.count('reset'), 1);
    assert.equal(fx.cloud.count('powerOn'), 0);
    assert.equal(fx.host()?.system, 'rescue');
  });
});
