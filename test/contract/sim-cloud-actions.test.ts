import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { waitFor } from '../../sim/process/wait-for.js';
import { serverBody, startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

type Json = Record<string, unknown>;

/** Servers, actions, locks and rescue (docs.hetzner.cloud), plus the admin path. */
describe('Cloud simulator servers and actions contract', () => {
  let env: SimCloudEnv;
  const admin = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(`${env.sim.adminUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${env.sim.adminToken}` },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };

  before(async () => {
    env = await startSimCloud({
      bootSystems: false,
      durations: {
        createServerMs: 300,
        startServerMs: 300,
        stopServerMs: 200,
        resetServerMs: 100,
        deleteServerMs: 100,
        rescueLapseMs: 1_500,
      },
    });
  });
  after(() => env.stop());

  /** A server created without starting it, once its create action has finished. */
  async function createdOff(name: string): Promise<number> {
    const created = await env.api.call('POST', '/servers', serverBody(name, { start_after_create: false }));
    await env.api.waitForAction(created.body.action);
    return (created.body.server as Json).id as number;
  }

  async function status(id: number): Promise<string> {
    return (await env.api.server(id)).status as string;
  }

  it('creates with 201 and all four keys, then moves initializing → off → starting → running', async () => {
    const created = await env.api.call('POST', '/servers', serverBody('life-1', { labels: { a: 'b' } }));
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body).sort(), ['action', 'next_actions', 'root_password', 'server']);
    const server = created.body.server as Json;
    assert.equal(server.status, 'initializing');
    assert.equal(server.locked, true);
    assert.equal(typeof created.body.root_password, 'string', 'no ssh_keys: a root password');
    const action = created.body.action as Json;
    assert.deepEqual(
      { command: action.command, status: action.status, finished: action.finished, error: action.error },
      { command: 'create_server', status: 'running', finished: null, error: null },
    );
    assert.deepEqual(action.resources, [{ id: server.id, type: 'server' }]);
    const next = created.body.next_actions as Json[];
    assert.deepEqual(
      next.map((a) => [a.command, a.status]),
      [['start_server', 'running']],
    );
    const id = server.id as number;
    const seen = new Set<string>();
    await waitFor(
      async () => {
        const now = await status(id);
        seen.add(now);
        return now === 'running' ? true : undefined;
      },
      { deadlineMs: 5_000, initialIntervalMs: 10, description: 'the server to run' },
    );
    assert.ok(
      seen.has('off') || seen.has('starting'),
      `passed through off/starting: ${[...seen].join(', ')}`,
    );
    const done = await env.api.waitForAction(next[0]);
    assert.deepEqual([done.status, done.progress], ['success', 100]);
    assert.equal(typeof done.finished, 'string');
  });

  it('answers 423 locked while an action runs on the server, and locked:false after', async () => {
    const created = await env.api.call(
      'POST',
      '/servers',
      serverBody('lock-1', { start_after_create: false }),
    );
    const id = (created.body.server as Json).id as number;
    assert.deepEqual(created.body.next_actions, []);
    const refused = await env.api.call('POST', `/servers/${id}/actions/poweron`);
    assert.equal(refused.status, 423);
    assert.equal((refused.body.error as Json).code, 'locked');
    await env.api.waitForAction(created.body.action);
    assert.equal((await env.api.server(id)).locked, false);
    assert.equal(await status(id), 'off');
    const poweron = await env.api.call('POST', `/servers/${id}/actions/poweron`);
    assert.equal(poweron.status, 201);
    assert.equal((poweron.body.action as Json).command, 'start_server');
    assert.equal(await status(id), 'starting');
    await env.api.waitForAction(poweron.body.action);
    const poweroff = await env.api.call('POST', `/servers/${id}/actions/poweroff`);
    assert.equal((poweroff.body.action as Json).command, 'stop_server');
    assert.equal(await status(id), 'stopping');
    await env.api.waitForAction(poweroff.body.action);
    assert.equal(await status(id), 'off');
  });

  it('enables rescue with a root password and disables it, each with its own action', async () => {
    const id = await createdOff('rescue-1');
    const enabled = await env.api.call('POST', `/servers/${id}/actions/enable_rescue`, { type: 'linux64' });
    assert.equal(enabled.status, 201);
    assert.equal(typeof enabled.body.root_password, 'string');
    assert.equal((enabled.body.action as Json).command, 'enable_rescue');
    await env.api.waitForAction(enabled.body.action);
    assert.equal((await env.api.server(id)).rescue_enabled, true);
    const wrongType = await env.api.call('POST', `/servers/${id}/actions/enable_rescue`, { type: 'linux32' });
    assert.equal(wrongType.status, 422);
    const disabled = await env.api.call('POST', `/servers/${id}/actions/disable_rescue`);
    await env.api.waitForAction(disabled.body.action);
    assert.equal((await env.api.server(id)).rescue_enabled, false);
  });

  it('keeps a never-finishing action running and its server locked; a slow one takes longer', async () => {
    env.sim.faults.add([
      { kind: 'action', command: 'stop_server', outcome: 'never-finish', count: 1 },
      { kind: 'action', command: 'start_server', outcome: 'slow', factor: 5, count: 1 },
    ]);
    const created = await env.api.call('POST', '/servers', serverBody('slow-1'));
    const id = (created.body.server as Json).id as number;
    const started = Date.now();
    await env.api.waitForAction((created.body.next_actions as Json[])[0]);
    assert.ok(Date.now() - started >= 300 + 5 * 300 - 50, 'the slow start took five times as long');
    const stop = await env.api.call('POST', `/servers/${id}/actions/poweroff`);
    await assert.rejects(env.api.waitForAction(stop.body.action, 1_000), /timed out/);
    assert.equal((await env.api.server(id)).locked, true);
    assert.equal((await env.api.call('POST', `/servers/${id}/actions/poweron`)).status, 423);
  });

  it('lets an unused rescue activation lapse by itself', async () => {
    const id = await createdOff('lapse-1');
    await env.api.waitForAction(
      (await env.api.call('POST', `/servers/${id}/actions/enable_rescue`)).body.action,
    );
    assert.equal((await env.api.server(id)).rescue_enabled, true);
    await waitFor(async () => ((await env.api.server(id)).rescue_enabled === false ? true : undefined), {
      deadlineMs: 10_000,
      description: 'the activation to lapse',
    });
  });

  it('keeps actions queryable after their server is deleted; GET /actions needs id', async () => {
    const created = await env.api.call(
      'POST',
      '/servers',
      serverBody('gone-1', { start_after_create: false }),
    );
    const id = (created.body.server as Json).id as number;
    const createAction = created.body.action as Json;
    await env.api.waitForAction(createAction);
    const deleted = await env.api.call('DELETE', `/servers/${id}`);
    assert.equal(deleted.status, 200);
    const deleteAction = deleted.body.action as Json;
    assert.equal(deleteAction.command, 'delete_server');
    assert.equal((await env.api.call('GET', `/servers/${id}`)).status, 404);
    await env.api.waitForAction(deleteAction);
    const polled = await env.api.call(
      'GET',
      `/actions?id=${String(createAction.id)}&id=${String(deleteAction.id)}&page=1&sort=status&sort=id`,
    );
    assert.equal(polled.status, 200);
    assert.deepEqual(
      (polled.body.actions as Json[]).map((a) => a.id),
      [createAction.id, deleteAction.id],
    );
    assert.equal((await env.api.call('GET', `/actions/${String(deleteAction.id)}`)).status, 200);
    const noId = await env.api.call('GET', '/actions');
    assert.equal(noId.status, 422);
  });

  it("lists a server's actions, filtered by status", async () => {
    const created = await env.api.call('POST', '/servers', serverBody('list-actions-1'));
    const id = (created.body.server as Json).id as number;
    const running = await env.api.call('GET', `/servers/${id}/actions?status=running`);
    assert.deepEqual((running.body.actions as Json[]).map((a) => a.command).sort(), [
      'create_server',
      'start_server',
    ]);
    assert.ok(running.body.meta);
  });

  it('injects faults from the admin path: failing actions and 503s, and counts requests per server', async () => {
    assert.equal(
      (
        await admin('POST', '/faults', {
          kind: 'action',
          command: 'start_server',
          outcome: 'error',
          count: 1,
        })
      ).status,
      201,
    );
    const created = await env.api.call('POST', '/servers', serverBody('fault-1'));
    const id = (created.body.server as Json).id as number;
    const failed = await env.api.waitForAction((created.body.next_actions as Json[])[0]);
    assert.equal(failed.status, 'error');
    assert.deepEqual(failed.error, { code: 'action_failed', message: 'Action failed' });
    assert.equal(await status(id), 'off', 'a failed start leaves the server off');

    await admin('POST', '/faults', [
      { kind: 'request', method: 'GET', path: '/v1/servers/:id', status: 503, count: 2 },
    ]);
    for (let i = 0; i < 2; i++) {
      const unavailable = await env.api.call('GET', `/servers/${id}`);
      assert.equal(unavailable.status, 503);
      assert.equal((unavailable.body.error as Json).code, 'unavailable');
    }
    assert.equal((await env.api.call('GET', `/servers/${id}`)).status, 200);
    assert.equal((await admin('POST', '/faults', { kind: 'nonsense' })).status, 400);

    await admin('POST', '/faults', { kind: 'request', path: '/v1/locations', status: 429, count: 1 });
    const burst = await env.api.call('GET', '/locations');
    assert.equal(burst.status, 429);
    assert.equal((burst.body.error as Json).code, 'rate_limit_exceeded');
    assert.equal(burst.headers.get('ratelimit-remaining'), '0');

    const counters = (await admin('GET', '/counters')).body as {
      byServer: Record<string, number>;
      byEndpoint: Record<string, number>;
    };
    assert.ok((counters.byServer[String(id)] ?? 0) >= 4, JSON.stringify(counters.byServer));
    assert.ok((counters.byEndpoint['GET /v1/servers/:id'] ?? 0) >= 3);
    const log = (await admin('GET', '/requests?limit=5')).body as {
      requests: { endpoint: string; status: number }[];
    };
    assert.equal(log.requests.length, 5);
    assert.equal((await fetch(`${env.sim.adminUrl}/counters`)).status, 401);
  });

  it('resets connections: before serving (nothing happened) or after (done, answer lost)', async () => {
    const reset = async (path: string, body: unknown): Promise<string> =>
      env.api.call('POST', path, body).then(
        () => 'answered',
        (error: unknown) => String((error as { cause?: { code?: string } }).cause?.code),
      );
    const keys = async (): Promise<string[]> =>
      ((await env.api.call('GET', '/ssh_keys')).body.ssh_keys as Json[]).map((key) => String(key.name));
    await admin('POST', '/faults', { kind: 'connection', method: 'POST', path: '/v1/ssh_keys', count: 1 });
    const key = (name: string): Json => ({ name, public_key: generateSshKeyPair(name).publicKey });
    assert.equal(await reset('/ssh_keys', key('cut-before')), 'ECONNRESET');
    assert.ok(!(await keys()).includes('cut-before'), 'a request cut before serving changes nothing');
    await admin('POST', '/faults', {
      kind: 'connection',
      method: 'POST',
      path: '/v1/ssh_keys',
      when: 'after-serving',
      count: 1,
    });
    assert.equal(await reset('/ssh_keys', key('cut-after')), 'ECONNRESET');
    assert.ok((await keys()).includes('cut-after'), 'a request cut after serving was carried out');
    const log = (await admin('GET', '/requests?limit=1000')).body as {
      requests: { endpoint: string; status: number }[];
    };
    assert.ok(log.requests.some((r) => r.endpoint === 'POST /v1/ssh_keys' && r.status === 0));
  });
});
