import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { waitFor } from '../../sim/process/wait-for.js';
import { HcloudServers } from '../../src/hetzner/cloud/index.js';
import { HcloudApiMetrics } from '../../src/reconcilers/hcloud-machine/index.js';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

/** `{endpoint} {method} {status}` → count, from the registry. */
async function requestCounts(registry: Registry): Promise<Map<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find(
    (entry) => entry.name === 'imageurl_hcloud_requests_total',
  );
  const counts = new Map<string, number>();
  for (const value of metric?.values ?? []) {
    const { method, endpoint, status } = value.labels;
    counts.set(`${String(method)} ${String(endpoint)} ${String(status)}`, value.value);
  }
  return counts;
}

/** The production client's metrics against the Cloud simulator's own request log. */
describe('hcloud client metrics (Cloud simulator)', () => {
  let env: SimCloudEnv;
  before(async () => {
    env = await startSimCloud({
      bootSystems: false,
      durations: { createServerMs: 0, startServerMs: 0, rescueToggleMs: 0, deleteServerMs: 0 },
    });
    const key = generateSshKeyPair('metrics');
    const added = await env.api.call('POST', '/ssh_keys', { name: 'metrics', public_key: key.publicKey });
    assert.equal(added.status, 201);
    env.sim.requests.reset();
  });
  after(() => env.stop());

  it('counts every request the simulator served, by templated endpoint, method and status', async () => {
    const registry = new Registry();
    const client = new HcloudServers({
      token: env.sim.token,
      endpoint: env.sim.endpoint,
      observer: new HcloudApiMetrics(registry),
      backoffBaseMs: 1,
      sleep: () => Promise.resolve(),
    });
    const created = await client.createServer({
      name: 'metrics-1',
      serverType: 'cpx22',
      image: 'debian-13',
      labels: {},
      sshKeys: ['metrics'],
    });
    const serverId = created.server.id;
    await waitFor(
      async () =>
        (await client.getAction({ actionId: created.actionId })).status === 'success' ? true : undefined,
      { deadlineMs: 10_000, initialIntervalMs: 5, description: 'create_server' },
    );
    await client.enableRescue({ serverId, sshKeys: ['metrics'] });
    assert.equal((await client.getServer({ serverId }))?.id, serverId);
    assert.equal(await client.getServer({ serverId: 987_654_321 }), undefined);
    env.sim.faults.add([
      {
        kind: 'request',
        method: 'GET',
        path: '/v1/servers',
        status: 429,
        code: 'rate_limit_exceeded',
        count: 1,
      },
    ]);
    assert.equal((await client.findServerByName({ name: 'metrics-1' }))?.id, serverId);

    const counts = await requestCounts(registry);
    const served = env.sim.requests.recent();
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    assert.equal(total, served.length, 'one count per request the simulator served');
    const servedTo = (endpoint: string): number =>
      served.filter((entry) => entry.endpoint === endpoint).length;
    // Action looks go out as GET /actions?id=… (many machines' looks share one request).
    assert.ok((counts.get('GET /actions 200') ?? 0) >= 1, 'the action was looked at');
    assert.equal(counts.get('GET /actions 200'), servedTo('GET /v1/actions'));
    assert.equal(counts.get('POST /servers/{id}/actions/enable_rescue 201'), 1);
    assert.equal(counts.get('GET /servers/{id} 200'), 1);
    assert.equal(counts.get('GET /servers/{id} 404'), 1);
    assert.equal(counts.get('GET /servers 429'), 1);
    assert.equal(counts.get('GET /servers 200'), 1);
    assert.equal(counts.get('POST /servers 201'), 1);
    for (const key of counts.keys()) {
      assert.doesNotMatch(key, new RegExp(`\\b${serverId}\\b|\\b${created.actionId}\\b`), 'no raw id');
    }
    const text = await registry.metrics();
    assert.match(text, /imageurl_hcloud_rate_limit_waits_total\{cause="rate_limited"\} [1-9]/);
    assert.match(text, /imageurl_hcloud_rate_limit_wait_seconds_total\{cause="rate_limited"\} \d/);
    assert.ok(!text.includes(env.sim.token), 'no token in any metric');
  });
});
