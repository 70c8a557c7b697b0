import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { serverBody, startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

type Json = Record<string, unknown>;

/** Load balancers, their services, targets, health and networks (docs.hetzner.cloud, "Load Balancers"). */
describe('Cloud simulator load balancers contract', () => {
  let env: SimCloudEnv;

  before(async () => {
    env = await startSimCloud({
      bootSystems: false,
      durations: { configActionMs: 200, createLoadBalancerMs: 300 },
    });
  });
  after(() => env.stop());

  const errorCode = (body: Json): string => (body.error as { code: string }).code;

  async function runningServer(name: string, extra: Json = {}): Promise<number> {
    const created = await env.api.call('POST', '/servers', serverBody(name, extra));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await env.api.waitForAction(created.body.action);
    for (const next of created.body.next_actions as Json[]) await env.api.waitForAction(next);
    return (created.body.server as Json).id as number;
  }

  async function balancer(id: number): Promise<Json> {
    return (await env.api.call('GET', `/load_balancers/${id}`)).body.load_balancer as Json;
  }

  async function act(id: number, action: string, body: Json): Promise<Json> {
    const response = await env.api.call('POST', `/load_balancers/${id}/actions/${action}`, body);
    assert.equal(response.status, 201, `${action}: ${JSON.stringify(response.body)}`);
    return env.api.waitForAction(response.body.action);
  }

  it('lists the load balancer types lb11, lb21, lb31 with their limits', async () => {
    const { status, body } = await env.api.call('GET', '/load_balancer_types');
    assert.equal(status, 200);
    const types = body.load_balancer_types as Json[];
    assert.deepEqual(
      types.map((t) => [t.name, t.max_services, t.max_targets]),
      [
        ['lb11', 5, 25],
        ['lb21', 15, 75],
        ['lb31', 30, 150],
      ],
    );
    for (const field of ['id', 'description', 'max_connections', 'max_assigned_certificates', 'prices'])
      assert.ok(field in (types[0] ?? {}), field);
    assert.equal(
      (
        (await env.api.call('GET', `/load_balancer_types/${String(types[0]?.id)}`)).body
          .load_balancer_type as Json
      ).name,
      'lb11',
    );
  });

  it('creates with 201 and create_load_balancer, a public IPv4/IPv6, a tcp service with defaults', async () => {
    const created = await env.api.call('POST', '/load_balancers', {
      name: 'lb-shape',
      load_balancer_type: 'lb11',
      location: 'fsn1',
      labels: { cluster: 'c1' },
      services: [{ protocol: 'tcp', listen_port: 6443, destination_port: 6443 }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(Object.keys(created.body).sort(), ['action', 'load_balancer']);
    const action = created.body.action as Json;
    assert.deepEqual([action.command, action.status], ['create_load_balancer', 'running']);
    const lb = created.body.load_balancer as Json;
    assert.deepEqual(Object.keys(lb).sort(), [
      'algorithm',
      'created',
      'id',
      'included_traffic',
      'ingoing_traffic',
      'labels',
      'load_balancer_type',
      'location',
      'name',
      'outgoing_traffic',
      'private_net',
      'protection',
      'public_net',
      'services',
      'targets',
    ]);
    assert.deepEqual(lb.algorithm, { type: 'round_robin' });
    const publicNet = lb.public_net as { enabled: boolean; ipv4: { ip: string }; ipv6: { ip: string } };
    assert.equal(publicNet.enabled, true);
    assert.match(publicNet.ipv4.ip, /^127\.\d+\.\d+\.\d+$/);
    assert.match(publicNet.ipv6.ip, /^2001:db8:/);
    assert.equal((lb.location as Json).name, 'fsn1');
    assert.equal((lb.load_balancer_type as Json).name, 'lb11');
    assert.deepEqual(lb.services, [
      {
        protocol: 'tcp',
        listen_port: 6443,
        destination_port: 6443,
        proxyprotocol: false,
        http: null,
        health_check: { protocol: 'tcp', port: 6443, interval: 15, timeout: 10, retries: 3, http: null },
      },
    ]);
    const lbId = lb.id as number;
    const locked = await env.api.call('POST', `/load_balancers/${lbId}/actions/change_algorithm`, {
      type: 'least_connections',
    });
    assert.equal(locked.status, 423);
    assert.equal(errorCode(locked.body), 'locked');
    await env.api.waitForAction(action);
    await act(lbId, 'change_algorithm', { type: 'least_connections' });
    assert.deepEqual((await balancer(lbId)).algorithm, { type: 'least_connections' });
    const listed = await env.api.call('GET', '/load_balancers?label_selector=cluster%3Dc1');
    assert.deepEqual(
      (listed.body.load_balancers as Json[]).map((b) => b.name),
      ['lb-shape'],
    );
  });

  it('refuses a taken name, an unknown type, a missing location and a port used twice', async () => {
    const base = { load_balancer_type: 'lb11', network_zone: 'eu-central' };
    const first = await env.api.call('POST', '/load_balancers', { name: 'lb-taken', ...base });
    assert.equal(first.status, 201);
    assert.equal(((first.body.load_balancer as Json).location as Json).network_zone, 'eu-central');
    const cases: [Json, number, string][] = [
      [{ name: 'lb-taken', ...base }, 409, 'uniqueness_error'],
      [{ name: 'lb-x1', ...base, load_balancer_type: 'lb99' }, 422, 'invalid_input'],
      [{ name: 'lb-x2', load_balancer_type: 'lb11' }, 422, 'invalid_input'],
      [{ name: 'lb-x3', ...base, algorithm: { type: 'random' } }, 422, 'invalid_input'],
      [
        {
          name: 'lb-x4',
          ...base,
          services: [{ protocol: 'tcp', listen_port: 80, destination_port: 80 }, { protocol: 'http' }],
        },
        422,
        'source_port_already_used',
      ],
      [{ name: 'lb-x5', ...base, services: [{ protocol: 'tcp', listen_port: 80 }] }, 422, 'invalid_input'],
    ];
    for (const [body, status, code] of cases) {
      const response = await env.api.call('POST', '/load_balancers', body);
      assert.equal(response.status, status, JSON.stringify(body));
      assert.equal(errorCode(response.body), code, JSON.stringify(body));
    }
    const named = await env.api.call('GET', '/load_balancers?name=lb-x4');
    assert.deepEqual(named.body.load_balancers, []);
  });

  it('adds, updates and deletes services; health checks follow the service', async () => {
    const created = await env.api.call('POST', '/load_balancers', {
      name: 'lb-services',
      load_balancer_type: 'lb11',
      location: 'nbg1',
    });
    const id = (created.body.load_balancer as Json).id as number;
    await env.api.waitForAction(created.body.action);
    await act(id, 'add_service', { protocol: 'http' });
    const http = ((await balancer(id)).services as Json[])[0] ?? {};
    assert.deepEqual([http.listen_port, http.destination_port], [80, 80]);
    assert.deepEqual((http.health_check as Json).http, {
      domain: null,
      path: '/',
      response: null,
      status_codes: ['2??', '3??'],
      tls: false,
    });
    assert.equal((http.http as Json).cookie_name, 'HCLBSTICKY');
    await act(id, 'update_service', {
      listen_port: 80,
      destination_port: 8080,
      health_check: { interval: 5 },
    });
    const updated = ((await balancer(id)).services as Json[])[0] ?? {};
    assert.deepEqual([updated.destination_port, (updated.health_check as Json).interval], [8080, 5]);
    const taken = await env.api.call('POST', `/load_balancers/${id}/actions/add_service`, {
      protocol: 'http',
    });
    assert.equal(errorCode(taken.body), 'source_port_already_used');
    await act(id, 'delete_service', { listen_port: 80 });
    assert.deepEqual((await balancer(id)).services, []);
  });

  it('targets servers and label selectors, with health per service and the server’s load_balancers', async () => {
    const web1 = await runningServer('lb-web-1', { labels: { role: 'web' } });
    const web2 = await runningServer('lb-web-2', { labels: { role: 'web' }, start_after_create: false });
    const other = await runningServer('lb-other');
    const created = await env.api.call('POST', '/load_balancers', {
      name: 'lb-targets',
      load_balancer_type: 'lb11',
      location: 'fsn1',
      services: [{ protocol: 'tcp', listen_port: 443, destination_port: 443 }],
      targets: [{ type: 'server', server: { id: other } }],
    });
    const id = (created.body.load_balancer as Json).id as number;
    await env.api.waitForAction(created.body.action);
    const added = await act(id, 'add_target', {
      type: 'label_selector',
      label_selector: { selector: 'role=web' },
    });
    assert.equal(added.command, 'add_target');
    assert.deepEqual(added.resources, [{ id, type: 'load_balancer' }]);
    const targets = (await balancer(id)).targets as Json[];
    assert.deepEqual(targets, [
      {
        type: 'server',
        server: { id: other },
        use_private_ip: false,
        health_status: [{ listen_port: 443, status: 'healthy' }],
      },
      {
        type: 'label_selector',
        label_selector: { selector: 'role=web' },
        use_private_ip: false,
        targets: [
          {
            type: 'server',
            server: { id: web1 },
            use_private_ip: false,
            health_status: [{ listen_port: 443, status: 'healthy' }],
          },
          {
            type: 'server',
            server: { id: web2 },
            use_private_ip: false,
            health_status: [{ listen_port: 443, status: 'unhealthy' }],
          },
        ],
      },
    ]);
    assert.deepEqual((await env.api.server(web1)).load_balancers, [id]);
    const twice = await env.api.call('POST', `/load_balancers/${id}/actions/add_target`, {
      type: 'server',
      server: { id: other },
    });
    assert.equal(twice.status, 422);
    assert.equal(errorCode(twice.body), 'target_already_defined');
    const privateTarget = await env.api.call('POST', `/load_balancers/${id}/actions/add_target`, {
      type: 'server',
      server: { id: web1 },
      use_private_ip: true,
    });
    assert.equal(errorCode(privateTarget.body), 'load_balancer_not_attached_to_network');
    await act(id, 'remove_target', { type: 'server', server: { id: other } });
    assert.deepEqual((await env.api.server(other)).load_balancers, []);
    await env.api.waitForAction((await env.api.call('DELETE', `/servers/${web1}`)).body.action);
    const remaining = ((await balancer(id)).targets as Json[])[0] as Json;
    assert.deepEqual(
      (remaining.targets as Json[]).map((t) => (t.server as Json).id),
      [web2],
    );
  });

  it('attaches to a network with a private IP; private targets need the server in that network', async () => {
    const net = await env.api.call('POST', '/networks', {
      name: 'lb-net',
      ip_range: '10.0.0.0/16',
      subnets: [{ type: 'cloud', network_zone: 'eu-central', ip_range: '10.0.0.0/24' }],
    });
    const netId = (net.body.network as Json).id as number;
    const inNet = await runningServer('lb-private-1', { networks: [netId] });
    const outside = await runningServer('lb-private-2');
    const created = await env.api.call('POST', '/load_balancers', {
      name: 'lb-private',
      load_balancer_type: 'lb11',
      location: 'hel1',
    });
    const id = (created.body.load_balancer as Json).id as number;
    await env.api.waitForAction(created.body.action);
    const attached = await act(id, 'attach_to_network', { network: netId, ip: '10.0.0.100' });
    assert.deepEqual(attached.resources, [
      { id, type: 'load_balancer' },
      { id: netId, type: 'network' },
    ]);
    assert.deepEqual((await balancer(id)).private_net, [{ network: netId, ip: '10.0.0.100' }]);
    assert.deepEqual(
      ((await env.api.call('GET', `/networks/${netId}`)).body.network as Json).load_balancers,
      [id],
    );
    const again = await env.api.call('POST', `/load_balancers/${id}/actions/attach_to_network`, {
      network: netId,
    });
    assert.equal(errorCode(again.body), 'load_balancer_already_attached');
    await act(id, 'add_target', { type: 'server', server: { id: inNet }, use_private_ip: true });
    const notInNet = await env.api.call('POST', `/load_balancers/${id}/actions/add_target`, {
      type: 'server',
      server: { id: outside },
      use_private_ip: true,
    });
    assert.equal(errorCode(notInNet.body), 'server_not_attached_to_network');
    await act(id, 'detach_from_network', { network: netId });
    assert.deepEqual((await balancer(id)).private_net, []);
  });

  it('changes type, keeps delete protection, deletes with 204', async () => {
    const created = await env.api.call('POST', '/load_balancers', {
      name: 'lb-delete',
      load_balancer_type: 'lb11',
      location: 'fsn1',
    });
    const id = (created.body.load_balancer as Json).id as number;
    await env.api.waitForAction(created.body.action);
    await act(id, 'change_type', { load_balancer_type: 'lb21' });
    assert.equal(((await balancer(id)).load_balancer_type as Json).name, 'lb21');
    await act(id, 'change_protection', { delete: true });
    const refused = await env.api.call('DELETE', `/load_balancers/${id}`);
    assert.equal(refused.status, 423);
    assert.equal(errorCode(refused.body), 'protected');
    await act(id, 'change_protection', { delete: false });
    const actions = await env.api.call('GET', `/load_balancers/${id}/actions?sort=id`);
    assert.deepEqual(
      (actions.body.actions as Json[]).map((a) => a.command),
      ['create_load_balancer', 'change_type', 'change_protection', 'change_protection'],
    );
    const deleted = await env.api.call('DELETE', `/load_balancers/${id}`);
    assert.equal(deleted.status, 204);
    assert.equal((await env.api.call('GET', `/load_balancers/${id}`)).status, 404);
  });
});
