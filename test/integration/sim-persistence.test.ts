import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CloudSimulator } from '../../sim/cloud/cloud-simulator.js';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { buildTestImage } from '../../sim/os-image/build-image.js';
import { RobotSimulator } from '../../sim/robot/robot-simulator.js';
import { SimCloudClient } from '../support/sim-cloud-client.js';
import { SimRobotClient } from '../support/sim-robot-client.js';
import { connectWhenUp } from '../support/sim-ssh.js';
import type { TestSshSession } from '../support/ssh-session.js';

describe('simulator state kept between runs (persist)', () => {
  const admin = generateSshKeyPair('admin');
  const sessions: TestSshSession[] = [];
  const running: { stop(): Promise<void> }[] = [];
  let scratch = '';

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-sim-persist-'));
  });
  after(async () => {
    for (const session of sessions) session.end();
    for (const sim of running) await sim.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  async function cloud(): Promise<CloudSimulator> {
    const sim = await CloudSimulator.start({
      stateDir: join(scratch, 'cloud'),
      profile: 'fast',
      diskBytes: 64 * 1024 * 1024,
      persist: true,
      token: 'persisted-token',
    });
    running.push(sim);
    return sim;
  }

  it('brings Cloud servers, keys and actions back, and the installed OS boots again', async () => {
    const first = await cloud();
    const api = new SimCloudClient(first.endpoint, first.token);
    await api.call('POST', '/ssh_keys', { name: 'admin', public_key: admin.publicKey });
    const created = await api.call('POST', '/servers', {
      name: 'kept-1',
      server_type: 'cpx22',
      image: 'debian-13',
      start_after_create: false,
      labels: { keep: 'yes' },
    });
    const server = created.body.server as { id: number; public_net: { ipv4: { ip: string } } };
    await api.waitForAction(created.body.action);
    await buildTestImage({
      path: await first.diskPath(server.id),
      defaultHostname: 'kept-os',
      authorizedKeys: [admin.publicKey],
    });
    await api.waitForAction((await api.call('POST', `/servers/${server.id}/actions/poweron`)).body.action);
    const before = await connectWhenUp(server.public_net.ipv4.ip, admin.privateKey);
    sessions.push(before);
    assert.equal((await before.exec('hostname')).stdout.toString().trim(), 'kept-os');
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const second = await cloud();
    const again = new SimCloudClient(second.endpoint, second.token);
    const kept = await again.server(server.id);
    assert.deepEqual([kept.name, kept.status, kept.labels], ['kept-1', 'running', { keep: 'yes' }]);
    assert.equal((kept.public_net as { ipv4: { ip: string } }).ipv4.ip, server.public_net.ipv4.ip);
    assert.equal(((await again.call('GET', '/ssh_keys?name=admin')).body.ssh_keys as unknown[]).length, 1);
    assert.equal(
      (await again.call('GET', `/actions/${(created.body.action as { id: number }).id}`)).status,
      200,
    );
    const after = await connectWhenUp(server.public_net.ipv4.ip, admin.privateKey);
    sessions.push(after);
    assert.equal((await after.exec('hostname')).stdout.toString().trim(), 'kept-os');
    const next = await again.call('POST', '/servers', {
      name: 'kept-2',
      server_type: 'cpx22',
      image: 'debian-13',
    });
    assert.ok((next.body.server as { id: number }).id > server.id, 'ids keep growing');
  });

  it('brings Robot keys, server names and addresses back', async () => {
    const options = {
      stateDir: join(scratch, 'robot'),
      profile: 'fast' as const,
      ipLock: false as const,
      persist: true,
      user: 'u',
      password: 'p',
      servers: [{ number: 7 }],
    };
    const first = await RobotSimulator.start(options);
    running.push(first);
    const robot = new SimRobotClient(first.endpoint, 'u', 'p');
    assert.equal((await robot.call('POST', '/key', { name: 'admin', data: admin.publicKey })).status, 201);
    await robot.call('POST', '/server/7', { server_name: 'bm-kept' });
    const address = first.servers()[0]?.address;
    await first.stop();
    running.splice(running.indexOf(first), 1);

    const second = await RobotSimulator.start(options);
    running.push(second);
    const again = new SimRobotClient(second.endpoint, 'u', 'p');
    const server = (
      (await again.call('GET', '/server/7')).body as { server: { server_name: string; server_ip: string } }
    ).server;
    assert.deepEqual([server.server_name, server.server_ip], ['bm-kept', address]);
    assert.deepEqual(
      ((await again.call('GET', '/key')).body as { key: { name: string } }[]).map((k) => k.key.name),
      ['admin'],
    );
  });
});
