import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serverBody, startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

type Json = Record<string, unknown>;

/** Networks, subnets, routes and server attachments (docs.hetzner.cloud, "Networks"). */
describe('Cloud simulator networks contract', () => {
  let env: SimCloudEnv;

  before(async () => {
    env = await startSimCloud({
      bootSystems: false,
      durations: { configActionMs: 200, createLoadBalancerMs: 300 },
    });
  });
  after(() => env.stop());

  const errorCode = (body: Json): string => (body.error as { code: string }).code;

  async function createNetwork(name: string, extra: Json = {}): Promise<Json> {
    const created = await env.api.call('POST', '/networks', { name, ip_range: '10.0.0.0/16', ...extra });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body.network as Json;
  }

  async function settled(created: { body: Json }): Promise<void> {
    await env.api.waitForAction(created.body.action);
    for (const next of (created.body.next_actions as Json[] | undefined) ?? [])
      await env.api.waitForAction(next);
  }

  const cloudSubnet = { type: 'cloud', network_zone: 'eu-central', ip_range: '10.0.1.0/24' };

  it('creates with 201 and the documented shape, subnets with the network gateway', async () => {
    const created = await env.api.call('POST', '/networks', {
      name: 'net-shape',
      ip_range: '10.0.0.0/16',
      subnets: [cloudSubnet],
      routes: [{ destination: '10.100.1.0/24', gateway: '10.0.1.10' }],
      labels: { cluster: 'a' },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body), ['network']);
    const network = created.body.network as Json;
    assert.deepEqual(Object.keys(network).sort(), [
      'created',
      'expose_routes_to_vswitch',
      'id',
      'ip_range',
      'labels',
      'load_balancers',
      'name',
      'protection',
      'routes',
      'servers',
      'subnets',
    ]);
    assert.deepEqual(network.subnets, [
      {
        type: 'cloud',
        ip_range: '10.0.1.0/24',
        network_zone: 'eu-central',
        gateway: '10.0.0.1',
        vswitch_id: null,
      },
    ]);
    assert.deepEqual(network.routes, [{ destination: '10.100.1.0/24', gateway: '10.0.1.10' }]);
    assert.deepEqual(
      [network.servers, network.load_balancers, network.protection],
      [[], [], { delete: false }],
    );
    const listed = await env.api.call('GET', '/networks?label_selector=cluster%3Da');
    assert.deepEqual(
      (listed.body.networks as Json[]).map((n) => n.id),
      [network.id],
    );
    const byName = await env.api.call('GET', '/networks?name=net-shape');
    assert.equal((byName.body.networks as Json[]).length, 1);
  });

  it('refuses public or malformed ranges, subnets outside the range, overlaps and taken names', async () => {
    const cases: [Json, number, string][] = [
      [{ name: 'net-bad-1', ip_range: '8.8.0.0/16' }, 422, 'invalid_input'],
      [{ name: 'net-bad-2', ip_range: '10.0.0.1/16' }, 422, 'invalid_input'],
      [
        {
          name: 'net-bad-3',
          ip_range: '10.0.0.0/16',
          subnets: [{ ...cloudSubnet, ip_range: '10.1.0.0/24' }],
        },
        422,
        'invalid_input',
      ],
      [
        {
          name: 'net-bad-4',
          ip_range: '10.0.0.0/16',
          subnets: [cloudSubnet, { ...cloudSubnet, ip_range: '10.0.1.128/25' }],
        },
        422,
        'invalid_input',
      ],
      [
        { name: 'net-bad-5', ip_range: '10.0.0.0/16', subnets: [{ ...cloudSubnet, network_zone: 'mars' }] },
        422,
        'invalid_input',
      ],
      [{ ip_range: '10.0.0.0/16' }, 422, 'invalid_input'],
    ];
    for (const [body, status, code] of cases) {
      const response = await env.api.call('POST', '/networks', body);
      assert.equal(response.status, status, JSON.stringify(body));
      assert.equal(errorCode(response.body), code);
    }
    await createNetwork('net-taken');
    const taken = await env.api.call('POST', '/networks', { name: 'net-taken', ip_range: '10.0.0.0/16' });
    assert.equal(taken.status, 409);
    assert.equal(errorCode(taken.body), 'uniqueness_error');
  });

  it('adds and deletes subnets and routes, extends the range, with actions that lock the network', async () => {
    const network = await createNetwork('net-actions');
    const path = `/networks/${String(network.id)}/actions`;
    const added = await env.api.call('POST', `${path}/add_subnet`, {
      type: 'cloud',
      network_zone: 'eu-central',
    });
    assert.equal(added.status, 201);
    const action = added.body.action as Json;
    assert.deepEqual([action.command, action.status], ['add_subnet', 'running']);
    assert.deepEqual(action.resources, [{ id: network.id, type: 'network' }]);
    const locked = await env.api.call('POST', `${path}/add_route`, {
      destination: '10.9.0.0/24',
      gateway: '10.0.0.5',
    });
    assert.equal(locked.status, 423);
    assert.equal(errorCode(locked.body), 'locked');
    await env.api.waitForAction(action);
    const read = async (): Promise<Json> =>
      (await env.api.call('GET', `/networks/${String(network.id)}`)).body.network as Json;
    assert.deepEqual(
      ((await read()).subnets as Json[]).map((s) => s.ip_range),
      ['10.0.0.0/24'],
    );
    await env.api.waitForAction(
      (await env.api.call('POST', `${path}/add_route`, { destination: '10.9.0.0/24', gateway: '10.0.0.5' }))
        .body.action,
    );
    assert.deepEqual((await read()).routes, [{ destination: '10.9.0.0/24', gateway: '10.0.0.5' }]);
    const toGateway = await env.api.call('POST', `${path}/add_route`, {
      destination: '10.8.0.0/24',
      gateway: '10.0.0.1',
    });
    assert.equal(toGateway.status, 422);
    await env.api.waitForAction(
      (
        await env.api.call('POST', `${path}/delete_route`, {
          destination: '10.9.0.0/24',
          gateway: '10.0.0.5',
        })
      ).body.action,
    );
    assert.deepEqual((await read()).routes, []);
    const shrink = await env.api.call('POST', `${path}/change_ip_range`, { ip_range: '10.0.0.0/24' });
    assert.equal(shrink.status, 422);
    await env.api.waitForAction(
      (await env.api.call('POST', `${path}/change_ip_range`, { ip_range: '10.0.0.0/8' })).body.action,
    );
    assert.equal((await read()).ip_range, '10.0.0.0/8');
    await env.api.waitForAction(
      (await env.api.call('POST', `${path}/delete_subnet`, { ip_range: '10.0.0.0/24' })).body.action,
    );
    assert.deepEqual((await read()).subnets, []);
    const listed = await env.api.call('GET', `/networks/${String(network.id)}/actions?sort=id`);
    assert.deepEqual(
      (listed.body.actions as Json[]).map((a) => a.command),
      ['add_subnet', 'add_route', 'delete_route', 'change_ip_range', 'delete_subnet'],
    );
    assert.equal((await env.api.call('POST', `${path}/no_such_action`, {})).status, 404);
  });

  it('attaches servers with addresses from the subnet, shows them on both sides, detaches', async () => {
    const network = await createNetwork('net-attach', { subnets: [cloudSubnet] });
    const netId = network.id as number;
    const created = await env.api.call('POST', '/servers', serverBody('net-server-1', { networks: [netId] }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(
      (created.body.next_actions as Json[]).map((a) => a.command),
      ['start_server', 'attach_to_network'],
    );
    await settled(created);
    const first = created.body.server as Json;
    const private1 = (await env.api.server(first.id as number)).private_net as Json[];
    assert.equal(private1.length, 1);
    assert.deepEqual(
      { ...private1[0], mac_address: undefined },
      { network: netId, ip: '10.0.1.1', alias_ips: [], mac_address: undefined },
    );
    assert.match(String(private1[0]?.mac_address), /^86:00:00(:[0-9a-f]{2}){3}$/);

    const second = await env.api.call(
      'POST',
      '/servers',
      serverBody('net-server-2', { start_after_create: false }),
    );
    await settled(second);
    const secondId = (second.body.server as Json).id as number;
    const attach = await env.api.call('POST', `/servers/${secondId}/actions/attach_to_network`, {
      network: netId,
      ip: '10.0.1.1',
    });
    assert.equal(attach.status, 422);
    assert.equal(errorCode(attach.body), 'ip_not_available');
    const attached = await env.api.call('POST', `/servers/${secondId}/actions/attach_to_network`, {
      network: netId,
      alias_ips: ['10.0.1.50'],
    });
    assert.equal(attached.status, 201);
    const action = attached.body.action as Json;
    assert.equal(action.command, 'attach_to_network');
    assert.deepEqual(action.resources, [
      { id: secondId, type: 'server' },
      { id: netId, type: 'network' },
    ]);
    await env.api.waitForAction(action);
    const private2 = (await env.api.server(secondId)).private_net as Json[];
    assert.deepEqual([private2[0]?.ip, private2[0]?.alias_ips], ['10.0.1.2', ['10.0.1.50']]);
    const again = await env.api.call('POST', `/servers/${secondId}/actions/attach_to_network`, {
      network: netId,
    });
    assert.equal(errorCode(again.body), 'server_already_attached');
    const net = (await env.api.call('GET', `/networks/${netId}`)).body.network as Json;
    assert.deepEqual(net.servers, [first.id, secondId]);

    const detached = await env.api.call('POST', `/servers/${secondId}/actions/detach_from_network`, {
      network: netId,
    });
    assert.equal(detached.status, 201);
    assert.equal((detached.body.action as Json).command, 'detach_from_network');
    await env.api.waitForAction(detached.body.action);
    assert.deepEqual((await env.api.server(secondId)).private_net, []);
  });

  it('refuses attachments without a subnet in the zone, overlapping networks, and subnets in use', async () => {
    const usOnly = await createNetwork('net-us', {
      ip_range: '10.1.0.0/16',
      subnets: [{ type: 'cloud', network_zone: 'us-east', ip_range: '10.1.0.0/24' }],
    });
    const refused = await env.api.call('POST', '/servers', serverBody('net-zone', { networks: [usOnly.id] }));
    assert.equal(refused.status, 422);
    assert.equal(errorCode(refused.body), 'no_subnet_available');
    assert.deepEqual((await env.api.call('GET', '/servers?name=net-zone')).body.servers, []);

    const a = await createNetwork('net-overlap-a', {
      ip_range: '10.2.0.0/16',
      subnets: [{ ...cloudSubnet, ip_range: '10.2.0.0/24' }],
    });
    const b = await createNetwork('net-overlap-b', {
      ip_range: '10.2.0.0/16',
      subnets: [{ ...cloudSubnet, ip_range: '10.2.0.0/24' }],
    });
    const server = await env.api.call('POST', '/servers', serverBody('net-overlap', { networks: [a.id] }));
    await settled(server);
    const id = (server.body.server as Json).id as number;
    const overlap = await env.api.call('POST', `/servers/${id}/actions/attach_to_network`, { network: b.id });
    assert.equal(overlap.status, 422);
    assert.equal(errorCode(overlap.body), 'networks_overlap');
    const inUse = await env.api.call('POST', `/networks/${String(a.id)}/actions/delete_subnet`, {
      ip_range: '10.2.0.0/24',
    });
    assert.equal(inUse.status, 422);
  });

  it('deletes with 204 (not while protected), detaching its servers', async () => {
    const network = await createNetwork('net-delete', {
      ip_range: '10.3.0.0/16',
      subnets: [{ ...cloudSubnet, ip_range: '10.3.0.0/24' }],
    });
    const server = await env.api.call(
      'POST',
      '/servers',
      serverBody('net-delete-server', { networks: [network.id] }),
    );
    await settled(server);
    const path = `/networks/${String(network.id)}`;
    await env.api.waitForAction(
      (await env.api.call('POST', `${path}/actions/change_protection`, { delete: true })).body.action,
    );
    const protectedDelete = await env.api.call('DELETE', path);
    assert.equal(protectedDelete.status, 423);
    assert.equal(errorCode(protectedDelete.body), 'protected');
    await env.api.waitForAction(
      (await env.api.call('POST', `${path}/actions/change_protection`, { delete: false })).body.action,
    );
    const deleted = await env.api.call('DELETE', path);
    assert.equal(deleted.status, 204);
    assert.equal((await env.api.call('GET', path)).status, 404);
    assert.deepEqual((await env.api.server((server.body.server as Json).id as number)).private_net, []);
  });
});
