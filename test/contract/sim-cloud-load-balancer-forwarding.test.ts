import assert from 'node:assert/strict';
import { connect, createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../sim/process/wait-for.js';
import { serverBody, startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

type Json = Record<string, unknown>;

/** An echo-like service on a server's address that answers every connection with its name. */
async function nameServer(address: string, port: number, name: string): Promise<Server> {
  const server = createServer((socket) => socket.end(`${name}\n`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, resolve);
  });
  return server;
}

/** What answers on address:port: the first line it sends, or the connection error's code. */
function ask(address: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.once('close', () => resolve(text.trim() || 'closed'));
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** A load balancer forwards TCP for real, as Hetzner's does (round robin over accepting targets). */
describe('Cloud simulator load balancer forwarding', () => {
  let env: SimCloudEnv;
  const listeners: Server[] = [];

  before(async () => {
    env = await startSimCloud({ bootSystems: false, durations: { configActionMs: 50 } });
  });
  after(async () => {
    for (const server of listeners) await closeServer(server);
    await env.stop();
  });

  async function server(name: string): Promise<{ id: number; ip: string }> {
    const created = await env.api.call('POST', '/servers', serverBody(name, { labels: { role: 'cp' } }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const record = created.body.server as { id: number; public_net: { ipv4: { ip: string } } };
    return { id: record.id, ip: record.public_net.ipv4.ip };
  }

  it('forwards the listen port to the targets’ destination port, round robin, skipping refusing targets', async () => {
    const [a, b, c] = [await server('fw-a'), await server('fw-b'), await server('fw-c')];
    listeners.push(await nameServer(a.ip, 16443, 'a'), await nameServer(b.ip, 16443, 'b'));
    const created = await env.api.call('POST', '/load_balancers', {
      name: 'fw',
      load_balancer_type: 'lb11',
      location: 'fsn1',
      services: [{ protocol: 'tcp', listen_port: 16444, destination_port: 16443 }],
      targets: [{ type: 'label_selector', label_selector: { selector: 'role=cp' } }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const lb = created.body.load_balancer as { id: number; public_net: { ipv4: { ip: string } } };
    const ip = lb.public_net.ipv4.ip;
    await env.api.waitForAction(created.body.action);
    assert.deepEqual(env.sim.loadBalancerListeners(lb.id), [`${ip}:16444`]);
    // c accepts nothing on 16443: its turn goes to the next target.
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await ask(ip, 16444));
    assert.deepEqual(new Set(answers), new Set(['a', 'b']), answers.join(','));
    assert.ok(answers.filter((x) => x === 'a').length >= 2 && answers.filter((x) => x === 'b').length >= 2);
    assert.ok(c.ip !== a.ip && c.ip !== b.ip);

    // A service added later listens at once; a deleted one stops.
    const added = await env.api.call('POST', `/load_balancers/${lb.id}/actions/add_service`, {
      protocol: 'tcp',
      listen_port: 16445,
      destination_port: 16443,
    });
    assert.equal(added.status, 201, JSON.stringify(added.body));
    assert.match(await ask(ip, 16445), /^[ab]$/);
    await env.api.waitForAction(added.body.action);
    const removed = await env.api.call('POST', `/load_balancers/${lb.id}/actions/delete_service`, {
      listen_port: 16445,
    });
    assert.equal(removed.status, 201, JSON.stringify(removed.body));
    assert.equal(await ask(ip, 16445), 'ECONNREFUSED');

    // Deleting the load balancer closes its listeners.
    await env.api.waitForAction(removed.body.action);
    await waitFor(
      async () => (await env.api.call('DELETE', `/load_balancers/${lb.id}`)).status === 204 || undefined,
      {
        deadlineMs: 5_000,
        description: 'the load balancer to be deleted',
      },
    );
    assert.equal(await ask(ip, 16444), 'ECONNREFUSED');
    assert.deepEqual(env.sim.loadBalancerListeners(lb.id), []);
  });

  it('closes a connection when no target accepts it', async () => {
    const lonely = await server('fw-lonely');
    const created = await env.api.call('POST', '/load_balancers', {
      name: 'fw-none',
      load_balancer_type: 'lb11',
      location: 'fsn1',
      services: [{ protocol: 'tcp', listen_port: 16446, destination_port: 16447 }],
      targets: [{ type: 'server', server: { id: lonely.id } }],
    });
    const ip = (created.body.load_balancer as { public_net: { ipv4: { ip: string } } }).public_net.ipv4.ip;
    assert.equal(await ask(ip, 16446), 'closed');
  });

  it('stops forwarding when the simulator stops', async () => {
    const other = await startSimCloud({ bootSystems: false });
    const created = await other.api.call('POST', '/load_balancers', {
      name: 'fw-stop',
      load_balancer_type: 'lb11',
      location: 'fsn1',
      services: [{ protocol: 'tcp', listen_port: 16448, destination_port: 16449 }],
    });
    const ip = (created.body.load_balancer as Json & { public_net: { ipv4: { ip: string } } }).public_net.ipv4
      .ip;
    assert.equal(await ask(ip, 16448), 'closed');
    await other.stop();
    assert.equal(await ask(ip, 16448), 'ECONNREFUSED');
  });
});
