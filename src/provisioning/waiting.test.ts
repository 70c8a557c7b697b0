import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture } from '../../test/fixtures/provisioning-fixture.js';

/** A machine whose create action still runs, at the moment its first look is due. */
async function creating(polls = 3): Promise<ProvisioningFixture> {
  const fx = new ProvisioningFixture();
  fx.cloud.actionPolls['create_server'] = polls;
  fx.waitAsAsked(await fx.runUntil('Initializing'));
  return fx;
}

const createAction = (fx: ProvisioningFixture): NonNullable<ReturnType<typeof fx.cloud.actions.get>> =>
  fx.cloud.actions.get(fx.status.externalIDs?.actionIdCreateServer ?? 0) ?? assert.fail('no create action');

describe('waiting that follows the world', () => {
  it('makes no request when a reconcile comes before the planned look (our own status write)', async () => {
    const fx = await creating();
    const looked = await fx.step();
    assert.equal(fx.cloud.count('getAction'), 1);
    assert.ok(looked.requeue.kind === 'after');
    const plannedMs = looked.requeue.ms;
    fx.clock.advance(30); // the watch event of the status just written
    const echoed = await fx.step();
    assert.equal(fx.cloud.count('getAction'), 1, 'the same action is not looked at again');
    assert.deepEqual(echoed.requeue, {
      kind: 'after',
      ms: plannedMs - 30,
    });
    fx.waitAsAsked(echoed);
    await fx.step();
    assert.equal(fx.cloud.count('getAction'), 2, 'the planned look happens');
  });

  it('looks again when the action’s progress says it ends, not on a fixed poll', async () => {
    const fx = await creating();
    fx.clock.advance(9_500); // its POST answered 10 s ago
    createAction(fx).progress = { percent: 50, started: new Date(fx.clock.now().getTime() - 10_000) };
    const outcome = await fx.step();
    // 50 % after 10 s: done by 20 s; looked at once, just after.
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 10_050 });
  });

  it('counts from the moment its POST answered, not from the API’s whole-second `started`', async () => {
    const fx = await creating();
    const answeredMs = fx.clock.now().getTime() - 500; // the create's POST answered 0.5 s ago
    // Whole seconds: the API says it started up to a second before it did.
    const started = new Date(Math.floor(answeredMs / 1000) * 1000 - 1000);
    createAction(fx).progress = { percent: 3, started };
    const outcome = await fx.step();
    assert.ok(outcome.requeue.kind === 'after');
    // 3 % after 0.5 s: the end lies in (12.5 s, 16.7 s]; looked at its early edge, 12 s from now.
    assert.equal(outcome.requeue.ms, 12_000);
  });

  it('learns how long an action took: the next machine’s first look is at the earliest end seen', async () => {
    const fx = new ProvisioningFixture();
    fx.waits.learn('create_server', 12_000); // as a finished create_server's started/finished said
    const next = new ProvisioningFixture({ input: { name: 'worker-2' } });
    next.waits = fx.waits;
    const created = await next.runUntil('Initializing');
    assert.deepEqual(created.requeue, { kind: 'after', ms: 12_000 });
  });

  it('while the rescue system boots, asks the banner watch and holds no SSH connection until it answers', async () => {
    const fx = new ProvisioningFixture();
    let answering = false;
    fx.banners = { answering: () => answering };
    fx.waitAsAsked(await fx.runUntil('BootingToRescue'));
    const connectsBefore = fx.rescue.connects.length;
    const probed = await fx.step();
    assert.deepEqual(probed.requeue, { kind: 'after', ms: 250 });
    assert.equal(fx.rescue.connects.length, connectsBefore, 'no SSH connection while no banner was seen');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'RetryingSSHConnection');
    answering = true;
    fx.waitAsAsked(probed);
    await fx.step();
    assert.equal(fx.status.bootState, 'RunningImageCommand');
    assert.ok(fx.waits.expected('rescue_boot'), 'the rescue boot’s duration is learned');
  });

  it('rests while the rescue system boots and is woken by the banner watch when it answers', async () => {
    const fx = new ProvisioningFixture();
    let answered: (() => void) | undefined;
    let asked = 0;
    fx.banners = {
      answering: (_host, _port, onAnswer) => {
        asked += 1;
        if (answered !== undefined) return true;
        answered = onAnswer;
        return false;
      },
    };
    let woken = 0;
    fx.wake = () => (woken += 1);
    fx.waitAsAsked(await fx.runUntil('BootingToRescue'));
    const probed = await fx.step();
    assert.ok(probed.requeue.kind === 'after');
    assert.ok(probed.requeue.ms >= 5_000, `no reconcile every 250 ms to ask (after ${probed.requeue.ms} ms)`);
    assert.ok(answered, 'the watch was told whom to wake');
    fx.clock.advance(700);
    answered();
    assert.equal(woken, 1, 'the banner wakes the machine');
    await fx.step();
    assert.equal(asked, 2);
    assert.equal(fx.status.bootState, 'RunningImageCommand', 'woken before its fallback look, it goes on');
  });

  it('once progress pins an action’s end, makes the next call then instead of one more look', async () => {
    const fx = await creating();
    fx.clock.advance(9_500);
    createAction(fx).progress = { percent: 50, started: new Date(fx.clock.now().getTime() - 10_000) };
    fx.waitAsAsked(await fx.step()); // 50 % after 10 s: the end is pinned at 20 s
    const looks = fx.cloud.count('getAction');
    createAction(fx).pollsLeft = 0; // it ended meanwhile
    await fx.step();
    assert.equal(fx.cloud.count('getAction'), looks, 'no look at an action whose end was pinned');
    assert.equal(fx.cloud.count('enableRescue'), 1);
    assert.equal(fx.status.bootState, 'EnablingRescue');
    assert.equal(fx.status.externalIDs?.actionIdCreateServer, -1);
    assert.ok(fx.waits.expected('create_server'), 'its duration is learned from the pinned end');
  });

  it('after a pinned end meets a locked server, looks at the action and keeps its id', async () => {
    const fx = await creating(5);
    fx.clock.advance(9_500);
    const action = createAction(fx);
    action.progress = { percent: 50, started: new Date(fx.clock.now().getTime() - 10_000) };
    fx.waitAsAsked(await fx.step());
    const looks = fx.cloud.count('getAction');
    const locked = await fx.step(); // the progress lied: still running
    assert.equal(fx.cloud.count('enableRescue'), 1, 'the call was made');
    assert.equal(fx.status.bootState, 'Initializing');
    assert.equal(fx.status.externalIDs?.actionIdCreateServer, action.id, 'the action id stays');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'CreatingServer');
    fx.waitAsAsked(locked);
    await fx.step();
    assert.equal(fx.cloud.count('getAction'), looks + 1, 'the action itself is looked at next');
  });
});
