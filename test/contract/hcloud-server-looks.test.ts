import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HcloudServers } from '../../src/hetzner/cloud/index.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

const labelsOf = (cluster: string, machine: string): Record<string, string> => ({
  [`caph-cluster-${cluster}`]: 'owned',
  'machine.caph-name': machine,
  'imageurl.io/namespace': 'default',
});

/** Server looks of many machines of one cluster, coalesced, against the Cloud simulator. */
describe('hcloud server looks (Cloud simulator)', () => {
  let env: SimCloudEnv;
  let client: HcloudServers;
  const ids: number[] = [];
  let otherClusterId = 0;

  before(async () => {
    env = await startSimCloud({ bootSystems: false });
    client = new HcloudServers({ token: env.sim.token, endpoint: env.sim.endpoint });
    for (let i = 0; i < 10; i += 1) {
      const name = `looks-${i}`;
      const created = await client.createServer({
        name,
        serverType: 'cpx22',
        image: 'debian-13',
        labels: labelsOf('looks', name),
        sshKeys: [],
      });
      ids.push(created.server.id);
    }
    const other = await client.createServer({
      name: 'other-0',
      serverType: 'cpx22',
      image: 'debian-13',
      labels: labelsOf('other', 'other-0'),
      sshKeys: [],
    });
    otherClusterId = other.server.id;
  });
  after(() => env.stop());

  /** Requests the simulator served since the last call, by endpoint. */
  const served = (): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const entry of env.sim.requests.recent()) {
      counts.set(entry.endpoint, (counts.get(entry.endpoint) ?? 0) + 1);
    }
    env.sim.requests.reset();
    return counts;
  };

  it('10 machines of one cluster looking at once cost one request per look', async () => {
    served();
    for (let look = 0; look < 3; look += 1) {
      const servers = await Promise.all(ids.map((serverId) => client.getServer({ serverId })));
      assert.deepEqual(
        servers.map((server) => server?.id),
        ids,
      );
      assert.deepEqual(Object.fromEntries(served()), { 'GET /v1/servers': 1 }, `look ${look}`);
    }
  });

  it('a server alone in its cluster, or gone from the list, is looked at by id', async () => {
    served();
    const [lone, gone] = await Promise.all([
      client.getServer({ serverId: otherClusterId }),
      client.getServer({ serverId: 987_654_321 }),
    ]);
    assert.equal(lone?.id, otherClusterId);
    assert.equal(gone, undefined);
    assert.deepEqual(Object.fromEntries(served()), { 'GET /v1/servers/:id': 2 });

    const deletedId = ids[3] ?? 0;
    assert.equal((await env.api.call('DELETE', `/servers/${deletedId}`)).status, 200);
    served();
    const servers = await Promise.all(ids.map((serverId) => client.getServer({ serverId })));
    assert.equal(servers[3], undefined, 'the deleted server is reported missing');
    assert.equal(servers.filter((server) => server !== undefined).length, 9);
    assert.deepEqual(Object.fromEntries(served()), { 'GET /v1/servers': 1, 'GET /v1/servers/:id': 1 });
  });
});
