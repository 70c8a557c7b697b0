import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture } from '../../test/fixtures/provisioning-fixture.js';
import type { HostKeySighting } from '../ports/ssh-host-keys.js';
import { installedOSVerdict, type InstalledOSVerdict } from './installed-os-wait.js';

const rescueKey = `SHA256:${'r'.repeat(43)}`;
const osKey = `SHA256:${'o'.repeat(43)}`;
const budgetMs = 60_000;

describe('installedOSVerdict', () => {
  const look = (
    sighting: HostKeySighting,
    waitedMs: number,
    lastAnswer?: 'silent' | 'refused',
    wentDown = true,
  ): InstalledOSVerdict =>
    installedOSVerdict({
      sighting,
      rescueKey,
      waitedMs,
      budgetMs,
      wentDown,
      ...(lastAnswer ? { lastAnswer } : {}),
    });

  it('another host key than the rescue boot’s is the installed OS, at any time', () => {
    assert.equal(look({ kind: 'key', fingerprint: osKey }, 0), 'up');
    assert.equal(look({ kind: 'key', fingerprint: osKey }, budgetMs * 2), 'up');
  });
  it('the rescue boot’s key again, after the port went down, means the disk did not boot', () => {
    assert.equal(look({ kind: 'key', fingerprint: rescueKey }, 1), 'rescue');
  });
  it('the rescue boot’s key before the port went down is the rescue system on its way down', () => {
    assert.equal(look({ kind: 'key', fingerprint: rescueKey }, 1, undefined, false), 'wait');
    assert.equal(look({ kind: 'key', fingerprint: rescueKey }, budgetMs, undefined, false), 'rescue');
  });
  it('waits within the budget whatever the port does', () => {
    for (const kind of ['unknown', 'silent', 'refused'] as const)
      assert.equal(look({ kind }, budgetMs - 1), 'wait');
  });
  it('past the budget: never answered is silent, a refusing port is an OS without SSH', () => {
    assert.equal(look({ kind: 'silent' }, budgetMs), 'silent');
    assert.equal(
      look({ kind: 'unknown' }, budgetMs),
      'wait',
      'nothing heard yet (a restart past it): wait for one answer',
    );
    assert.equal(look({ kind: 'refused' }, budgetMs), 'no-ssh');
  });
  it('past the budget, only the latest answer counts (a look in flight is no answer)', () => {
    assert.equal(look({ kind: 'unknown' }, budgetMs, 'refused'), 'no-ssh');
    assert.equal(look({ kind: 'unknown' }, budgetMs, 'silent'), 'silent');
    assert.equal(look({ kind: 'silent' }, budgetMs, 'refused'), 'silent');
  });
});

/** A host-key port answering what the test says. */
class ScriptedHostKeys {
  now: HostKeySighting = { kind: 'unknown' };
  looks = 0;
  onKey: (() => void) | undefined;
  sighting(_host: string, _port: number, onKey?: () => void): HostKeySighting {
    this.looks += 1;
    this.onKey = onKey;
    return this.now;
  }
}

async function leftRescue(): Promise<{ fx: ProvisioningFixture; keys: ScriptedHostKeys }> {
  const fx = new ProvisioningFixture({ settings: { installedOSAnswerBudgetMs: 60_000 } });
  const keys = new ScriptedHostKeys();
  fx.hostKeys = keys;
  fx.rescue.script = { ...fx.rescue.script, runningPolls: 0 };
  await fx.runUntil('BootingToRealOS');
  const pin = fx.status.rescueHostKey;
  assert.ok(pin);
  await fx.step();
  assert.equal(fx.status.leftRescueHostKey, pin, 'the left rescue boot’s key is kept');
  return { fx, keys };
}

describe('BootingToRealOS after leaving rescue', () => {
  it('reaches OperatingSystemRunning only once another host key answers', async () => {
    const { fx, keys } = await leftRescue();
    for (let i = 0; i < 3; i += 1) {
      const outcome = await fx.step();
      assert.equal(fx.status.bootState, 'BootingToRealOS');
      fx.waitAsAsked(outcome);
    }
    assert.equal(fx.cloud.count('getServer'), 0, 'no API request while the OS does not answer');
    keys.now = { kind: 'key', fingerprint: osKey };
    await fx.step();
    assert.equal(fx.status.bootState, 'OperatingSystemRunning');
    assert.equal(fx.status.leftRescueHostKey, undefined);
    assert.equal(fx.cloud.count('getServer'), 0, 'its own host key proves it runs: no GetServer either');
    assert.equal(fx.status.instanceState, 'running');
    assert.equal(fx.status.ready, true);
  });

  it('waits while the rescue system is still on its way down', async () => {
    const { fx, keys } = await leftRescue();
    keys.now = { kind: 'key', fingerprint: fx.status.leftRescueHostKey ?? '' };
    for (let i = 0; i < 3; i += 1) {
      fx.waitAsAsked(await fx.step());
      assert.equal(fx.status.bootState, 'BootingToRealOS');
    }
    keys.now = { kind: 'key', fingerprint: osKey };
    await fx.step();
    assert.equal(fx.status.bootState, 'OperatingSystemRunning');
  });

  it('fails with InstalledOSNotBooted when the rescue system answers again after going down', async () => {
    const { fx, keys } = await leftRescue();
    keys.now = { kind: 'silent' };
    fx.waitAsAsked(await fx.step());
    keys.now = { kind: 'key', fingerprint: fx.status.leftRescueHostKey ?? '' };
    await fx.step();
    assert.equal(fx.status.bootState, 'ProvisioningFailed');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'InstalledOSNotBooted');
  });

  it('fails with InstalledOSSilent when nothing answers within the budget', async () => {
    const { fx, keys } = await leftRescue();
    keys.now = { kind: 'silent' };
    const outcome = await fx.step();
    assert.equal(fx.status.bootState, 'BootingToRealOS');
    fx.waitAsAsked(outcome);
    fx.clock.advance(60_000);
    await fx.step();
    assert.equal(fx.status.bootState, 'ProvisioningFailed');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'InstalledOSSilent');
  });

  it('fails with InstalledOSSilent when the port refused only while the rescue system went down', async () => {
    const { fx, keys } = await leftRescue();
    keys.now = { kind: 'refused' };
    fx.waitAsAsked(await fx.step());
    for (let i = 0; i < 3; i += 1) {
      keys.now = i % 2 === 0 ? { kind: 'silent' } : { kind: 'unknown' };
      fx.waitAsAsked(await fx.step());
    }
    fx.clock.advance(60_000);
    keys.now = { kind: 'unknown' };
    await fx.step();
    assert.equal(fx.status.bootState, 'ProvisioningFailed');
    assert.equal(fx.condition('ServerProvisioned')?.reason, 'InstalledOSSilent');
  });

  it('falls back to the hcloud status, and says so, when the port keeps refusing', async () => {
    const { fx, keys } = await leftRescue();
    keys.now = { kind: 'refused' };
    await fx.step();
    fx.clock.advance(60_000);
    await fx.step();
    assert.equal(fx.status.bootState, 'OperatingSystemRunning');
    assert.match(fx.condition('ServerProvisioned')?.message ?? '', /kept refusing/);
    assert.ok(fx.events.events.some((event) => event.reason === 'InstalledOSWithoutSSH'));
  });

  it('rests while the port is quiet and is woken by the host-key watch when the installed OS answers', async () => {
    const { fx, keys } = await leftRescue();
    let woken = 0;
    fx.wake = () => (woken += 1);
    keys.now = { kind: 'refused' };
    const rested = await fx.step();
    assert.deepEqual(
      rested.requeue,
      { kind: 'after', ms: 2_000 },
      'no look every 250 ms while it can be woken',
    );
    assert.ok(keys.onKey, 'the watch was told whom to wake');
    fx.clock.advance(300);
    keys.now = { kind: 'key', fingerprint: osKey };
    keys.onKey();
    assert.equal(woken, 1);
    await fx.step();
    assert.equal(fx.status.bootState, 'OperatingSystemRunning', 'woken before its fallback look, it goes on');
  });
});
