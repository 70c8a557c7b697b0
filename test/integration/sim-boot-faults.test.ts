import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { waitFor } from '../../sim/process/wait-for.js';
import { RobotSimulator } from '../../sim/robot/robot-simulator.js';
import { connectWhenUp, portOpen } from '../support/sim-ssh.js';
import type { TestSshSession } from '../support/ssh-session.js';
import { SimRobotClient } from '../support/sim-robot-client.js';

/** Declarative boot faults on real hosts: a rescue that never answers, a wrong hostname, cut SSH. */
describe('simulated boot faults', () => {
  const operator = generateSshKeyPair('operator');
  const sessions: TestSshSession[] = [];
  let scratch = '';
  let sim: RobotSimulator;
  let robot: SimRobotClient;
  let fingerprint = '';

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-sim-faults-'));
    sim = await RobotSimulator.start({
      stateDir: join(scratch, 'robot'),
      profile: 'fast',
      ipLock: false,
      servers: [{ number: 1 }],
    });
    robot = new SimRobotClient(sim.endpoint, sim.user, sim.password);
    const key = await robot.call('POST', '/key', { name: 'operator', data: operator.publicKey });
    fingerprint = (key.body as { key: { fingerprint: string } }).key.fingerprint;
  });

  after(async () => {
    for (const session of sessions) session.end();
    await sim.stop();
    await rm(scratch, { recursive: true, force: true });
    assert.deepEqual(sim.errors, []);
  });

  async function rescueReset(): Promise<string> {
    await robot.call('DELETE', '/boot/1/rescue');
    assert.equal(
      (await robot.call('POST', '/boot/1/rescue', { os: 'linux', authorized_key: fingerprint })).status,
      200,
    );
    assert.equal((await robot.call('POST', '/reset/1', { type: 'hw' })).status, 200);
    return sim.servers()[0]?.address ?? '';
  }

  async function waitConsumed(): Promise<void> {
    await waitFor(() => Promise.resolve(sim.servers()[0]?.rescueActive === false ? true : undefined), {
      deadlineMs: 5_000,
      description: 'the rescue activation to be consumed',
    });
  }

  it('boots a rescue system with the wrong hostname when told to', async () => {
    sim.faults.add({
      kind: 'boot',
      system: 'rescue',
      outcome: 'wrong-hostname',
      hostname: 'not-rescue',
      count: 1,
    });
    const session = await connectWhenUp(await rescueReset(), operator.privateKey);
    sessions.push(session);
    assert.equal((await session.exec('hostname')).stdout.toString().trim(), 'not-rescue');
  });

  it('consumes the activation but never answers SSH for a rescue that does not come up', async () => {
    sim.faults.add({ kind: 'boot', system: 'rescue', outcome: 'no-ssh', count: 1 });
    const address = await rescueReset();
    await waitConsumed();
    const lastBoot = await waitFor(
      () => {
        const boot = sim.servers()[0]?.lastBoot;
        return Promise.resolve(boot?.type === 'not-booted' ? boot : undefined);
      },
      { deadlineMs: 5_000, description: 'the rescue boot attempt' },
    );
    assert.deepEqual(lastBoot, { type: 'not-booted', system: 'rescue', reason: 'fault: no-ssh' });
    assert.equal(await portOpen(address), false);
  });

  it('cuts SSH connections of a rescue system while it keeps listening', async () => {
    sim.faults.add({ kind: 'boot', system: 'rescue', outcome: 'drop-ssh', afterMs: 1_500, count: 1 });
    const address = await rescueReset();
    const session = await connectWhenUp(address, operator.privateKey);
    sessions.push(session);
    const started = Date.now();
    const result = await session.exec('sleep 20');
    assert.notEqual(result.code, 0, 'the command was cut off');
    assert.ok(Date.now() - started < 10_000);
    const again = await connectWhenUp(address, operator.privateKey);
    sessions.push(again);
    assert.equal((await again.exec('hostname')).stdout.toString().trim(), 'rescue');
  });
});
