import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { planOsBoot } from '../../sim/os-image/os-boot-plan.js';
import { ProcessGroup } from '../../sim/process/process-group.js';
import { SimCloudClient } from '../support/sim-cloud-client.js';
import { SimRobotClient } from '../support/sim-robot-client.js';

const bin = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));

interface SimFacts {
  cloud: { endpoint: string; token: string };
  robot: { endpoint: string; user: string; password: string };
  robotServers: { number: number; ip: string }[];
}

describe('imageurl sim', () => {
  const processes = new ProcessGroup();
  let scratch = '';

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-sim-command-'));
  });
  after(async () => {
    await processes.stopAll();
    await rm(scratch, { recursive: true, force: true });
  });

  it('runs both simulators, prints endpoints and credentials, and stops cleanly on SIGTERM', async () => {
    const faultsFile = join(scratch, 'faults.json');
    await writeFile(
      faultsFile,
      JSON.stringify([{ kind: 'request', path: '/v1/locations', status: 503, count: 1 }]),
    );
    const sim = processes.start({
      name: 'imageurl sim',
      command: process.execPath,
      args: [
        bin,
        'sim',
        '--profile',
        'fast',
        '--robot-servers',
        '1',
        '--state-dir',
        join(scratch, 'state'),
        '--faults',
        faultsFile,
        '-o',
        'json',
      ],
    });
    await sim.waitForOutput((text) => text.includes('"robotServers"'), 30_000);
    const facts = JSON.parse(
      sim.output
        .text()
        .split('\n')
        .find((line) => line.startsWith('{')) ?? '',
    ) as SimFacts;
    const cloud = new SimCloudClient(facts.cloud.endpoint, facts.cloud.token);
    assert.equal((await cloud.call('GET', '/servers')).status, 200);
    assert.equal(
      (await cloud.call('GET', '/locations')).status,
      503,
      'the fault file applies from the start',
    );
    assert.equal((await cloud.call('GET', '/locations')).status, 200);
    const robot = new SimRobotClient(facts.robot.endpoint, facts.robot.user, facts.robot.password);
    const servers = await robot.call('GET', '/server');
    assert.equal(servers.status, 200);
    assert.equal(
      (servers.body as { server: { server_ip: string } }[])[0]?.server.server_ip,
      facts.robotServers[0]?.ip,
    );
    await processes.stopMember(sim, { graceMs: 20_000 });
    assert.equal(await sim.waitForExit(), 'code 0', sim.output.text());
  });

  it('writes a bootable test image with os-image', async () => {
    const path = join(scratch, 'test.img');
    const build = processes.start({
      name: 'imageurl sim os-image',
      command: process.execPath,
      args: [bin, 'sim', 'os-image', path, '--default-hostname', 'from-cli'],
    });
    assert.equal(await build.waitForExit(), 'code 0', build.output.text());
    const decision = await planOsBoot(path);
    assert.ok(decision.bootable);
    assert.equal(decision.plan.hostname, 'from-cli');
  });
});
