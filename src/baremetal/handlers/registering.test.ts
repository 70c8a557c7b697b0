import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BareMetalFixture, provisioningRequest, wwns } from '../../../test/fixtures/baremetal-fixture.js';

async function registering(fx = new BareMetalFixture()): Promise<BareMetalFixture> {
  await fx.runUntil('registering');
  return fx;
}

describe('host state registering', () => {
  it('waits while SSH is refused, then checks hostname rescue, pins the host key and stores the disks', async () => {
    const fx = await registering();
    fx.rescue.sshMode = 'SSH_REFUSED';
    const refused = await fx.step();
    assert.deepEqual(refused.requeue, { kind: 'after', ms: 5_000 });
    assert.equal(fx.condition()?.reason, 'SSHConnectionRefused');
    assert.equal(fx.status.provisioningState, 'registering');

    fx.rescue.sshMode = 'ok';
    await fx.step();
    assert.equal(fx.status.provisioningState, 'image-installing');
    assert.equal(fx.status.rescueHostKey, fx.host()?.hostKey, 'the rescue boot is pinned');
    assert.equal(fx.status.rebootTriggeredAt, undefined);
    assert.equal(fx.status.lastReboot, undefined);
    assert.deepEqual(fx.status.hardwareDetails?.storage?.[0], {
      sizeBytes: 480_103_981_056,
      sizeGB: 480,
      wwn: wwns.sda,
      model: 'SAMSUNG MZ7LM480',
      serialNumber: 'S2TZNX0J100001',
    });
    for (const disk of fx.status.hardwareDetails.storage) assert.ok(!('name' in disk), 'no kernel names');
  });

  it('does not take a system that answers with another hostname for the rescue system', async () => {
    const fx = await registering();
    const host = fx.host();
    assert.ok(host);
    host.hostname = 'ubuntu';
    await fx.step();
    assert.equal(fx.status.provisioningState, 'registering');
    assert.equal(fx.status.rescueHostKey, undefined);
    assert.match(fx.condition()?.message ?? '', /answers as "ubuntu"/);
  });

  it('escalates a software reset that did not boot the rescue system to one hardware reset', async () => {
    const fx = new BareMetalFixture();
    fx.server.ignoredResets.add('sw');
    await fx.runUntil('registering');
    assert.equal(fx.host()?.system, 'disk');
    await fx.step();
    assert.equal(fx.robot.count('reset'), 1, 'no escalation before resetEscalationMs');
    fx.clock.advance(5 * 60_000);
    const escalated = await fx.step();
    assert.deepEqual(fx.server.resets, ['sw', 'hw']);
    assert.equal(fx.status.lastReboot, 'hw');
    assert.deepEqual(escalated.requeue, { kind: 'after', ms: 15_000 });
    await fx.step();
    assert.equal(fx.status.provisioningState, 'image-installing');
  });

  it('does not reset again when the server consumed the activation (it booted rescue; waiting helps)', async () => {
    const fx = await registering();
    fx.rescue.sshMode = 'SSH_TIMEOUT';
    fx.clock.advance(6 * 60_000);
    await fx.step();
    assert.deepEqual(fx.server.resets, ['sw']);
    assert.equal(fx.condition()?.reason, 'SSHToRescueSystemFailed');
  });

  it('fails (fatal, RebootTimedOut) when the rescue system is not reached in 15 minutes, calling nothing', async () => {
    // Without resets (rescue-boot-retry.test.ts has them).
    const fx = await registering(new BareMetalFixture({ settings: { rescueBootResets: 0 } }));
    fx.rescue.sshMode = 'SSH_REFUSED';
    fx.clock.advance(15 * 60_000 + 1_000);
    const robotCalls = fx.robot.count();
    const connects = fx.rescue.connects.length;
    const outcome = await fx.step();
    assert.equal(outcome.remediate, true);
    assert.equal(fx.status.errorType, 'fatal error');
    assert.equal(fx.condition()?.reason, 'RebootTimedOut');
    assert.match(
      fx.condition()?.message ?? '',
      /^reaching the rescue system timed out, in this state since 15m1s/,
    );
    assert.equal(fx.robot.count(), robotCalls);
    assert.equal(fx.rescue.connects.length, connects);
    assert.equal(fx.events.withReason('RebootTimedOut').length, 1);
  });

  it('fails (fatal) when rootDeviceHints do not fit the disks or swraid, and then waits for remediation', async () => {
    const cases = [
      {
        hints: { wwn: '0xdoesnotexist' },
        swraid: 0,
        reason: 'NoStorageDeviceFound',
        text: /no disk with WWN 0xdoesnotexist/,
      },
      {
        hints: { raid: { wwn: [wwns.sda, wwns.sdb] } },
        swraid: 0,
        reason: 'ImageSpecInvalid',
        text: /needs installImage.swraid: 1/,
      },
      { hints: { wwn: wwns.sda }, swraid: 1, reason: 'ImageSpecInvalid', text: /swraid is 1/ },
      {
        hints: {},
        swraid: 0,
        reason: 'NoStorageDeviceFound',
        text: /no WWN is configured in rootDeviceHints/,
      },
    ] as const;
    for (const { hints, swraid, reason, text } of cases) {
      const fx = new BareMetalFixture({
        input: { rootDeviceHints: hints, request: provisioningRequest({ swraid }) },
      });
      await fx.runUntil('registering');
      const outcome = await fx.step();
      assert.equal(outcome.remediate, true, reason);
      assert.equal(fx.condition()?.reason, reason);
      assert.match(fx.condition()?.message ?? '', text);
      assert.equal(
        fx.status.hardwareDetails?.storage?.length,
        2,
        'the disks found are stored for the operator',
      );
      const connects = fx.rescue.connects.length;
      const again = await fx.step();
      assert.equal(again.result, 'blocked', 'a failed host waits for its machine to be remediated');
      assert.equal(fx.rescue.connects.length, connects);
      assert.equal(fx.events.withReason(reason).length, 1, 'the failure is reported once');
    }
  });
});
