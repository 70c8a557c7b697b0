import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../../sim/process/wait-for.js';
import { isCloudError, type CloudError } from '../../src/ports/cloud-errors.js';
import type { CloudAction, CreateServerInput } from '../../src/ports/cloud-servers.js';
import {
  HcloudServers,
  type HcloudCallRecord,
  type HcloudServersOptions,
} from '../../src/hetzner/cloud/index.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

/** An OpenSSH `ssh-ed25519` public key line. */
function ed25519PublicKey(): string {
  const der = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
  const raw = der.subarray(der.length - 32);
  const withLength = (data: Buffer): Buffer => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length, 0);
    return Buffer.concat([length, data]);
  };
  const blob = Buffer.concat([withLength(Buffer.from('ssh-ed25519')), withLength(raw)]);
  return `ssh-ed25519 ${blob.toString('base64')} test`;
}

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<CloudError> {
  const error = await promise.then(
    () => assert.fail(`expected a CloudError ${code}`),
    (caught: unknown) => caught,
  );
  assert.ok(isCloudError(error), `a CloudError, got ${String(error)}`);
  assert.equal(error.code, code, error.message);
  return error;
}

/**
 * The production Cloud client against the Cloud simulator (errors, rate limits, servers, hcloud-
 * go's retries).
 */
describe('hcloud client contract (Cloud simulator)', () => {
  let env: SimCloudEnv;
  let client: HcloudServers;
  const calls: HcloudCallRecord[] = [];
  const sleeps: number[] = [];

  const options = (extra: Partial<HcloudServersOptions> = {}): HcloudServersOptions => ({
    token: env.sim.token,
    endpoint: env.sim.endpoint,
    backoffBaseMs: 1,
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    onCall: (record) => calls.push(record),
    ...extra,
  });

  const input = (name: string): CreateServerInput => ({
    name,
    serverType: 'cpx22',
    image: 'debian-13',
    location: 'fsn1',
    labels: { 'caph.example/cluster': 'c1' },
    sshKeys: ['cluster-key'],
  });

  const finished = (actionId: number): Promise<CloudAction> =>
    waitFor(
      async () => {
        const action = await client.getAction({ actionId });
        return action.status === 'running' ? undefined : action;
      },
      { deadlineMs: 10_000, initialIntervalMs: 10, description: `action ${actionId}` },
    );

  const requestsTo = (endpoint: string): number =>
    env.sim.requests.recent().filter((entry) => entry.endpoint === endpoint).length;

  before(async () => {
    env = await startSimCloud({
      bootSystems: false,
      durations: { createServerMs: 300, startServerMs: 200, resetServerMs: 100, deleteServerMs: 50 },
    });
    const key = await env.api.call('POST', '/ssh_keys', {
      name: 'cluster-key',
      public_key: ed25519PublicKey(),
    });
    assert.equal(key.status, 201, JSON.stringify(key.body));
    client = new HcloudServers(options());
  });
  after(() => env.stop());

  let serverId = 0;
  let createActionId = 0;

  it('creates the server powered off, with the image for its architecture and the SSH key ids', async () => {
    const created = await client.createServer(input('hc-1'));
    serverId = created.server.id;
    createActionId = created.actionId;
    assert.equal(created.server.name, 'hc-1');
    assert.equal(created.server.status, 'initializing');
    assert.deepEqual(created.server.labels, { 'caph.example/cluster': 'c1' });
    assert.match(created.server.publicIPv4 ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    assert.match(created.server.publicIPv6Network ?? '', /\/64$/);
    const endpoints = calls.map((call) => call.endpoint);
    assert.deepEqual(endpoints, ['GET /server_types', 'GET /images', 'GET /ssh_keys', 'POST /servers']);
  });

  it('asks the catalog once for servers created at once (a lookup under way is shared)', async () => {
    const fresh = new HcloudServers(options());
    const before = calls.length;
    await Promise.all(
      ['hc-at-once-1', 'hc-at-once-2', 'hc-at-once-3'].map((name) => fresh.createServer(input(name))),
    );
    const endpoints = calls.slice(before).map((call) => call.endpoint);
    for (const endpoint of ['GET /server_types', 'GET /images', 'GET /ssh_keys'])
      assert.equal(endpoints.filter((e) => e === endpoint).length, 1, `${endpoint}: ${endpoints.join(', ')}`);
    assert.equal(endpoints.filter((e) => e === 'POST /servers').length, 3);
  });

  it('answers locked while create_server runs, without retrying it', async () => {
    const before = requestsTo('POST /v1/servers/:id/actions/:action');
    const error = await rejectsWith(client.powerOn({ serverId }), 'locked');
    assert.equal(error.message.includes('powerOn'), true);
    assert.equal(error.retryable, true, 'retryable by the caller, not by the client');
    assert.equal(requestsTo('POST /v1/servers/:id/actions/:action') - before, 1, 'sent once');
  });

  it('follows create_server to success; the server stays off (start_after_create: false)', async () => {
    const action = await finished(createActionId);
    assert.deepEqual([action.command, action.status], ['create_server', 'success']);
    assert.equal((await client.getServer({ serverId }))?.status, 'off');
    assert.equal(requestsTo('POST /v1/servers/:id/actions/:action'), 1, 'nothing started it');
  });

  it('enables rescue with the key, powers on and the server runs with its IPv4', async () => {
    const callsBefore = calls.length;
    const rescue = await finished(
      (await client.enableRescue({ serverId, sshKeys: ['cluster-key'] })).actionId,
    );
    assert.deepEqual([rescue.command, rescue.status], ['enable_rescue', 'success']);
    assert.ok(
      calls.slice(callsBefore).every((call) => call.endpoint !== 'GET /ssh_keys'),
      'the SSH key id is remembered',
    );
    assert.equal((await client.getServer({ serverId }))?.rescueEnabled, true);
    const start = await finished((await client.powerOn({ serverId })).actionId);
    assert.deepEqual([start.command, start.status], ['start_server', 'success']);
    const server = await client.getServer({ serverId });
    assert.equal(server?.status, 'running');
    assert.match(server.publicIPv4 ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  });

  it('resets a running server', async () => {
    const reset = await finished((await client.reset({ serverId })).actionId);
    assert.deepEqual([reset.command, reset.status], ['reset_server', 'success']);
  });

  it('finds the server by exact name, and nothing for another name', async () => {
    const found = await client.findServerByName({ name: 'hc-1' });
    assert.equal(found?.id, serverId);
    assert.equal(await client.findServerByName({ name: 'hc' }), undefined);
  });

  it('replaces the whole label set (PUT /servers/{id}), and rejects an invalid label', async () => {
    const labelled = await client.setServerLabels({
      serverId,
      labels: { 'caph.example/cluster': 'c1', 'imageurl.io/namespace': 'team-a' },
    });
    assert.deepEqual(labelled.labels, { 'caph.example/cluster': 'c1', 'imageurl.io/namespace': 'team-a' });
    const replaced = await client.setServerLabels({ serverId, labels: { only: 'this' } });
    assert.deepEqual(replaced.labels, { only: 'this' });
    assert.deepEqual((await client.getServer({ serverId }))?.labels, { only: 'this' });
    await rejectsWith(
      client.setServerLabels({ serverId, labels: { 'hetzner.cloud/x': 'y' } }),
      'invalid_input',
    );
    await client.setServerLabels({ serverId, labels: { 'caph.example/cluster': 'c1' } });
  });

  it('rejects a duplicate name with uniqueness_error', async () => {
    await rejectsWith(client.createServer(input('hc-1')), 'uniqueness_error');
  });

  it('answers not_found for unknown actions, servers, images and SSH keys', async () => {
    await rejectsWith(client.getAction({ actionId: 987_654_321 }), 'not_found');
    await rejectsWith(client.powerOn({ serverId: 987_654_321 }), 'not_found');
    assert.equal(await client.getServer({ serverId: 987_654_321 }), undefined);
    await rejectsWith(client.createServer({ ...input('hc-2'), image: 'no-such-image' }), 'not_found');
    await rejectsWith(client.createServer({ ...input('hc-2'), sshKeys: ['no-such-key'] }), 'not_found');
  });

  it('answers unauthorized with a wrong token and never shows the token', async () => {
    const token = 'x'.repeat(64);
    const wrong = new HcloudServers(options({ token }));
    const error = await rejectsWith(wrong.findServerByName({ name: 'hc-1' }), 'unauthorized');
    assert.ok(!error.message.includes(token));
    assert.ok(!error.message.includes(env.sim.token));
    assert.match(error.message, /findServerByName/);
  });

  it('retries bad_gateway as hcloud-go does, but not unavailable', async () => {
    env.sim.faults.add([
      { kind: 'request', method: 'GET', path: '/v1/servers', status: 502, code: 'bad_gateway', count: 2 },
    ]);
    sleeps.length = 0;
    assert.equal((await client.findServerByName({ name: 'hc-1' }))?.id, serverId);
    assert.equal(sleeps.length, 2, 'two backoffs');
    env.sim.faults.add([
      { kind: 'request', method: 'GET', path: '/v1/servers', status: 503, code: 'unavailable', count: 1 },
    ]);
    sleeps.length = 0;
    await rejectsWith(client.findServerByName({ name: 'hc-1' }), 'unavailable');
    assert.equal(sleeps.length, 0);
  });

  it('gives up after 5 retries of rate_limit_exceeded with retry-after from RateLimit-Reset', async () => {
    env.sim.faults.add([
      {
        kind: 'request',
        method: 'GET',
        path: '/v1/servers',
        status: 429,
        code: 'rate_limit_exceeded',
        count: 6,
      },
    ]);
    sleeps.length = 0;
    const error = await rejectsWith(client.findServerByName({ name: 'hc-1' }), 'rate_limit_exceeded');
    // Each retry: hcloud-go's backoff (1 ms base here) and the budget's wait for the refill (~1 s).
    assert.equal(sleeps.filter((ms) => ms >= 900).length, 5, `waited per retry: ${sleeps.join(',')}`);
    assert.equal(sleeps.filter((ms) => ms < 900).length, 5);
    assert.ok((error.retryAfterMs ?? 0) >= 900);
    const state = client.budgetState();
    assert.equal(state.limitPerHour, 3600);
    assert.ok(state.rateLimited >= 6);
  });

  it('deletes the server, and deleting again resolves deleted: false', async () => {
    // A client with a full budget: the one above spent its own on 429s, and this one's sleeps do not wait.
    const fresh = new HcloudServers(options());
    assert.deepEqual(await fresh.deleteServer({ serverId }), { deleted: true });
    assert.equal(await fresh.getServer({ serverId }), undefined);
    assert.deepEqual(await fresh.deleteServer({ serverId }), { deleted: false });
  });
});

describe('hcloud client against a low project rate limit', () => {
  let env: SimCloudEnv;
  before(async () => {
    env = await startSimCloud({ bootSystems: false, rateLimitPerHour: 3 });
  });
  after(() => env.stop());

  it('learns the limit, paces, and classifies the 429 with the refill time', async () => {
    const sleeps: number[] = [];
    const client = new HcloudServers({
      token: env.sim.token,
      endpoint: env.sim.endpoint,
      backoffBaseMs: 1,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    for (let i = 0; i < 3; i += 1) assert.equal(await client.findServerByName({ name: 'none' }), undefined);
    const error = await rejectsWith(client.findServerByName({ name: 'none' }), 'rate_limit_exceeded');
    const retryAfter = error.retryAfterMs ?? 0;
    assert.ok(retryAfter >= 1_000_000, `3/h: about 20 minutes per request, got ${retryAfter}`);
    const state = client.budgetState();
    assert.equal(state.limitPerHour, 3);
    assert.ok(state.waits >= 1, 'the budget slowed down before the API said 429');
    assert.equal(state.reportedRemaining, 0);
  });
});
