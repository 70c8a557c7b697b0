import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { buildTestImage } from '../../sim/os-image/build-image.js';
import { waitFor } from '../../sim/process/wait-for.js';
import { RobotSimulator } from '../../sim/robot/robot-simulator.js';
import { connectWhenUp } from '../support/sim-ssh.js';
import type { TestSshSession } from '../support/ssh-session.js';
import { SimRobotClient } from '../support/sim-robot-client.js';

describe('Robot simulator scenario: rescue by reset, an image written to /dev/sda, the installed OS', () => {
  const operator = generateSshKeyPair('operator');
  const nodeKey = generateSshKeyPair('node-admin');
  const sessions: TestSshSession[] = [];
  let scratch = '';
  let sim: RobotSimulator;
  let robot: SimRobotClient;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-sim-robot-'));
    sim = await RobotSimulator.start({
      stateDir: join(scratch, 'robot'),
      profile: 'fast',
      ipLock: false,
      servers: [{ number: 321, name: 'bm-1' }],
    });
    robot = new SimRobotClient(sim.endpoint, sim.user, sim.password);
  });

  after(async () => {
    for (const session of sessions) session.end();
    await sim.stop();
    await rm(scratch, { recursive: true, force: true });
    assert.deepEqual(sim.errors, []);
  });

  it('boots rescue on a reset with the activated key, then the written image after a reboot', async () => {
    const key = await robot.call('POST', '/key', { name: 'operator', data: operator.publicKey });
    assert.equal(key.status, 201);
    const fingerprint = (key.body as { key: { fingerprint: string } }).key.fingerprint;
    assert.equal((await robot.call('DELETE', '/boot/321/rescue')).status, 200);
    const activated = await robot.call('POST', '/boot/321/rescue', {
      os: 'linux',
      authorized_key: fingerprint,
    });
    assert.equal(activated.status, 200);
    const rescue = (activated.body as { rescue: { active: boolean; password: string; os: string } }).rescue;
    assert.equal(rescue.active, true);
    assert.equal(rescue.os, 'linux');
    assert.ok(rescue.password.length > 0);

    assert.equal((await robot.call('POST', '/reset/321', { type: 'hw' })).status, 200);
    const server = (await robot.call('GET', '/server/321')).body as { server: { server_ip: string } };
    const session = await connectWhenUp(server.server.server_ip, operator.privateKey);
    sessions.push(session);
    assert.equal((await session.exec('hostname')).stdout.toString().trim(), 'rescue');
    const byPassword = await connectWhenUp(server.server.server_ip, { password: rescue.password });
    sessions.push(byPassword);
    assert.equal((await byPassword.exec('hostname')).stdout.toString().trim(), 'rescue');
    await waitFor(
      async () =>
        ((await robot.call('GET', '/boot/321/rescue')).body as { rescue: { active: boolean } }).rescue.active
          ? undefined
          : true,
      { deadlineMs: 5_000, description: 'the rescue activation to be consumed' },
    );

    const image = await buildTestImage({ path: join(scratch, 'os.img') });
    const written = await session.exec(
      'dd of=/dev/sda bs=1M iflag=fullblock conv=fsync status=none',
      await readFile(image.path),
    );
    assert.equal(written.code, 0, written.stderr);
    const bootstrap = `#cloud-config\nfqdn: bm-node-1.example.com\nusers:\n  - name: root\n    ssh_authorized_keys: ['${nodeKey.publicKey}']\n`;
    const data = await session.exec(
      'dd of=/dev/sda bs=1M seek=1 conv=notrunc,fsync status=none',
      Buffer.from(bootstrap),
    );
    assert.equal(data.code, 0, data.stderr);
    assert.equal((await session.exec('reboot')).code, 0);

    const os = await connectWhenUp(server.server.server_ip, nodeKey.privateKey);
    sessions.push(os);
    assert.equal((await os.exec('hostname')).stdout.toString().trim(), 'bm-node-1');
  });
});
