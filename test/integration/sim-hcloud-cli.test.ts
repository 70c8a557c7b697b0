import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../sim/process/wait-for.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

const run = promisify(execFile);
// Built by tools/hcloud-cli/install.sh (run by scripts/setup.sh).
const bin = process.env.IMAGEURL_HCLOUD_CLI_BIN ?? join(process.cwd(), '.cache/hcloud-cli/bin');

async function executable(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/**
 * Acceptance: the official clients work unchanged against the Cloud simulator, waiting for
 * actions their own way (hcloud-go polls GET /actions?id=…; the CLI with its own backoff).
 */
describe('official Hetzner Cloud clients against the simulator', () => {
  let env: SimCloudEnv;
  let clientEnv: NodeJS.ProcessEnv;

  before(async () => {
    env = await startSimCloud({
      durations: { createServerMs: 600, startServerMs: 300, deleteServerMs: 300 },
    });
    clientEnv = {
      ...process.env,
      HCLOUD_ENDPOINT: env.sim.endpoint,
      HCLOUD_TOKEN: env.sim.token,
      HCLOUD_CONFIG: join(bin, 'no-such-config.toml'), // no user context may leak in
    };
  });
  after(async () => {
    await env.stop();
    assert.deepEqual(env.sim.errors, []);
  });

  it('hcloud-go: create off, enable rescue, power on, get, list by label, delete, with WaitFor', async (t) => {
    const flow = join(bin, 'hcloud-go-flow');
    if (!(await executable(flow))) {
      t.skip(`${flow} not built (run npm run setup)`);
      return;
    }
    const { stdout } = await run(flow, ['go-flow-1'], { env: clientEnv, timeout: 60_000 });
    const report = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual(report, {
      createdStatus: 'off',
      rescueEnabled: true,
      rootPassword: true,
      poweredStatus: 'running',
      publicIPv4: report.publicIPv4,
      listedByLabel: ['go-flow-1'],
      lockedErrorCode: 'locked',
      goneAfterDelete: true,
    });
    assert.match(String(report.publicIPv4), /^127\./);
  });

  it('hcloud-go: placement group, network, server in both, load balancer with a private target, all deleted', async (t) => {
    const flow = join(bin, 'hcloud-go-cluster-flow');
    if (!(await executable(flow))) {
      t.skip(`${flow} not built (run npm run setup)`);
      return;
    }
    const { stdout } = await run(flow, ['go-cluster'], { env: clientEnv, timeout: 60_000 });
    const report = JSON.parse(stdout) as Record<string, unknown>;
    assert.deepEqual(report, {
      placementGroupServers: 1,
      serverPlacementGroup: 'go-cluster-cp',
      serverPrivateIP: '10.0.1.1',
      networkServers: 1,
      loadBalancerPrivateIP: '10.0.1.2',
      loadBalancerPublicIP: report.loadBalancerPublicIP,
      services: [6443],
      targetHealth: ['healthy'],
      serverLoadBalancers: 1,
      allGone: true,
    });
    assert.match(String(report.loadBalancerPublicIP), /^127\./);
  });

  it('hcloud CLI: server create without start, enable-rescue, poweron, describe, list -l, delete', async (t) => {
    const cli = join(bin, 'hcloud');
    if (!(await executable(cli))) {
      t.skip(`${cli} missing: install Debian's hcloud-cli or see tools/hcloud-cli/install.sh`);
      return;
    }
    const hcloud = async (...args: string[]): Promise<string> =>
      (await run(cli, args, { env: clientEnv, timeout: 60_000 })).stdout;
    const created = await hcloud(
      'server',
      'create',
      '--name',
      'cli-1',
      '--type',
      'cpx22',
      '--image',
      'debian-13',
      '--location',
      'fsn1',
      '--start-after-create=false',
      '--label',
      'suite=cli',
    );
    assert.match(created, /Server \d+ created/i);
    const off = JSON.parse(await hcloud('server', 'describe', 'cli-1', '-o', 'json')) as Record<
      string,
      unknown
    >;
    assert.equal(off.status, 'off');
    assert.match(
      await hcloud('server', 'enable-rescue', 'cli-1'),
      /Rescue enabled for Server \d+ with root password: \S+/i,
    );
    assert.match(await hcloud('server', 'poweron', 'cli-1'), /Server \d+ started/i);
    const described = JSON.parse(await hcloud('server', 'describe', 'cli-1', '-o', 'json')) as Record<
      string,
      unknown
    >;
    assert.equal(described.status, 'running');
    assert.equal(described.name, 'cli-1');
    await waitFor(
      () =>
        Promise.resolve(env.sim.servers().find((s) => s.name === 'cli-1')?.system === 'rescue' || undefined),
      {
        deadlineMs: 10_000,
        description: 'the rescue system to boot',
      },
    );
    const listed = JSON.parse(await hcloud('server', 'list', '-l', 'suite=cli', '-o', 'json')) as {
      name: string;
    }[];
    assert.deepEqual(
      listed.map((s) => s.name),
      ['cli-1'],
    );
    assert.match(await hcloud('server', 'delete', 'cli-1'), /Server cli-1 deleted/i);
    await assert.rejects(hcloud('server', 'describe', 'cli-1'), /Server not found: cli-1/i);
  });
});
