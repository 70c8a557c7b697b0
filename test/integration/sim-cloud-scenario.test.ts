import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CloudSimulator } from '../../sim/cloud/cloud-simulator.js';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { buildTestImage } from '../../sim/os-image/build-image.js';
import { waitFor } from '../../sim/process/wait-for.js';
import type { TestSshSession } from '../support/ssh-session.js';
import { connectWhenUp, portOpen, type SshCredential } from '../support/sim-ssh.js';
import { SimCloudClient } from '../support/sim-cloud-client.js';

const MiB = 1024 * 1024;

describe('Cloud simulator scenario: rescue, an image written to /dev/sda, the installed OS', () => {
  const operator = generateSshKeyPair('operator');
  const nodeKey = generateSshKeyPair('node-admin');
  const sessions: TestSshSession[] = [];
  let scratch = '';
  let sim: CloudSimulator;
  let api: SimCloudClient;
  let keyId = 0;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-sim-scenario-'));
    sim = await CloudSimulator.start({
      stateDir: join(scratch, 'cloud'),
      profile: 'fast',
      diskBytes: 64 * MiB,
    });
    api = new SimCloudClient(sim.endpoint, sim.token);
    const key = await api.call('POST', '/ssh_keys', { name: 'operator', public_key: operator.publicKey });
    keyId = (key.body.ssh_key as { id: number }).id;
  });

  after(async () => {
    for (const session of sessions) session.end();
    await sim.stop();
    await rm(scratch, { recursive: true, force: true });
    assert.deepEqual(sim.errors, []);
  });

  async function createInRescue(name: string): Promise<{ id: number; ip: string; password: string }> {
    const created = await api.call('POST', '/servers', {
      name,
      server_type: 'cpx22',
      image: 'debian-13',
      start_after_create: false,
      ssh_keys: [keyId],
    });
    assert.equal(created.status, 201);
    const server = created.body.server as { id: number; public_net: { ipv4: { ip: string } } };
    await api.waitForAction(created.body.action);
    assert.equal((await api.server(server.id)).status, 'off');
    const rescue = await api.call('POST', `/servers/${server.id}/actions/enable_rescue`, {
      ssh_keys: [keyId],
    });
    assert.equal(rescue.status, 201);
    await api.waitForAction(rescue.body.action);
    const poweron = await api.call('POST', `/servers/${server.id}/actions/poweron`);
    await api.waitForAction(poweron.body.action);
    assert.equal((await api.server(server.id)).status, 'running');
    return { id: server.id, ip: server.public_net.ipv4.ip, password: rescue.body.root_password as string };
  }

  async function sshWhenUp(ip: string, key: SshCredential): Promise<TestSshSession> {
    const session = await connectWhenUp(ip, key);
    sessions.push(session);
    return session;
  }

  it('boots rescue at the public IPv4, then the written image as an OS with the bootstrap hostname', async () => {
    const { id, ip, password } = await createInRescue('scenario-1');
    const rescue = await sshWhenUp(ip, operator.privateKey);
    assert.equal((await rescue.exec('hostname')).stdout.toString().trim(), 'rescue');
    const byPassword = await sshWhenUp(ip, { password });
    assert.equal((await byPassword.exec('id -un')).stdout.toString().trim(), 'root');
    assert.equal(
      (await api.server(id)).rescue_enabled,
      false,
      'the rescue activation is consumed by the boot',
    );

    const image = await buildTestImage({ path: join(scratch, 'os.img'), payloadBytes: 2 * MiB });
    const bootstrap = `#cloud-config\nhostname: scenario-node-1\nssh_authorized_keys:\n  - ${nodeKey.publicKey}\n`;
    const write = await rescue.exec(
      'dd of=/dev/sda bs=1M iflag=fullblock conv=fsync status=none',
      await readFile(image.path),
    );
    assert.equal(write.code, 0, write.stderr);
    const data = await rescue.exec(
      `dd of=/dev/sda bs=1M seek=${image.descriptor.bootstrapData.offset / MiB} conv=notrunc,fsync status=none`,
      Buffer.from(bootstrap),
    );
    assert.equal(data.code, 0, data.stderr);
    assert.equal((await rescue.exec('reboot')).code, 0);

    const os = await sshWhenUp(ip, nodeKey.privateKey);
    assert.equal((await os.exec('hostname')).stdout.toString().trim(), 'scenario-node-1');
    assert.equal((await os.exec('cat /run/imageurl-system/bootstrap-data')).stdout.toString(), bootstrap);
    assert.equal((await api.server(id)).status, 'running');
    assert.equal(sim.servers().find((s) => s.id === id)?.system, 'os');

    // `poweroff` inside the OS turns the server off in the API too.
    assert.equal((await os.exec('poweroff')).code, 0);
    await waitFor(async () => ((await api.server(id)).status === 'off' ? true : undefined), {
      deadlineMs: 10_000,
      description: 'the server to be off after poweroff inside it',
    });
  });

  it('never answers on SSH when the disk is blank', async () => {
    const { id, ip } = await createInRescue('scenario-blank');
    const rescue = await sshWhenUp(ip, operator.privateKey);
    assert.equal((await rescue.exec('reboot')).code, 0);
    // The firmware found nothing to boot: the server runs, and nothing answers on port 22.
    const lastBoot = await waitFor(
      () => {
        const boot = sim.servers().find((s) => s.id === id)?.lastBoot;
        return Promise.resolve(boot?.type === 'not-booted' ? boot : undefined);
      },
      { deadlineMs: 10_000, description: 'the OS boot attempt after the reboot' },
    );
    assert.match(JSON.stringify(lastBoot), /no bootable disk.*no simulated OS image header/);
    assert.equal(await portOpen(ip), false, 'something answered on port 22 of a server with a blank disk');
    assert.equal((await api.server(id)).status, 'running');
    assert.equal(sim.servers().find((s) => s.id === id)?.system, null);
    // Nothing runs that could obey an ACPI shutdown: the action succeeds, the server keeps running.
    const shutdown = await api.call('POST', `/servers/${id}/actions/shutdown`);
    assert.equal((await api.waitForAction(shutdown.body.action)).status, 'success');
    assert.equal((await api.server(id)).status, 'running');
  });

  it('stops a booted system on an ACPI shutdown', async () => {
    const { id, ip } = await createInRescue('scenario-acpi');
    await sshWhenUp(ip, operator.privateKey);
    const shutdown = await api.call('POST', `/servers/${id}/actions/shutdown`);
    assert.equal(shutdown.status, 201);
    assert.equal((shutdown.body.action as { command: string }).command, 'shutdown_server');
    await waitFor(async () => ((await api.server(id)).status === 'off' ? true : undefined), {
      deadlineMs: 10_000,
      description: 'the server to be off after an ACPI shutdown',
    });
    assert.equal(await portOpen(ip), false);
  });
});
