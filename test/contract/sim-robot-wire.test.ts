import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { RobotSimulator, type RobotSimulatorOptions } from '../../sim/robot/robot-simulator.js';
import { SimRobotClient } from '../support/sim-robot-client.js';

type Json = Record<string, unknown>;

/**
 * The Robot simulator's wire contract (robot.hetzner.com/doc/webservice/en.html): auth, envelopes,
 * quirks, limits.
 */
describe('Robot simulator wire contract', () => {
  let scratch = '';
  const started: RobotSimulator[] = [];

  async function start(
    options: Partial<RobotSimulatorOptions> = {},
  ): Promise<{ sim: RobotSimulator; robot: SimRobotClient }> {
    const sim = await RobotSimulator.start({
      stateDir: join(scratch, `robot-${started.length}`),
      profile: 'fast',
      bootSystems: false,
      ipLock: false,
      servers: [{ number: 321, resetTypes: ['sw', 'hw', 'man'] }, { number: 322 }],
      ...options,
    });
    started.push(sim);
    return { sim, robot: new SimRobotClient(sim.endpoint, sim.user, sim.password) };
  }

  function assertError(body: unknown, status: number, code: string): Json {
    const error = (body as { error: Json }).error;
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    assert.equal(typeof error.message, 'string');
    return error;
  }

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-sim-robot-wire-'));
  });
  after(async () => {
    for (const sim of started) await sim.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  it('answers 401 UNAUTHORIZED in the Robot envelope, and blocks an address after repeated failures', async () => {
    const { sim, robot } = await start({ ipLock: { failures: 2, lockMs: 60_000 } });
    const none = await robot.call('GET', '/server', undefined, null);
    assert.equal(none.status, 401);
    assertError(none.body, 401, 'UNAUTHORIZED');
    await robot.call('GET', '/server', undefined, { user: sim.user, password: 'wrong' });
    const blocked = await robot.call('GET', '/server');
    assert.equal(blocked.status, 401, 'right credentials are refused while the address is blocked');
  });

  it('wraps every object in its type key and lists as arrays of wrappers; 404 when there are none', async () => {
    const { robot } = await start();
    const list = await robot.call('GET', '/server');
    assert.equal(list.status, 200);
    const servers = list.body as { server: Json }[];
    assert.deepEqual(
      servers.map((s) => s.server.server_number),
      [321, 322],
    );
    for (const field of [
      'server_ip',
      'server_ipv6_net',
      'server_name',
      'product',
      'dc',
      'traffic',
      'status',
      'cancelled',
      'paid_until',
      'ip',
      'subnet',
    ])
      assert.ok(field in (servers[0]?.server ?? {}), field);
    const one = (await robot.call('GET', '/server/321')).body as { server: Json };
    for (const flag of [
      'reset',
      'rescue',
      'vnc',
      'windows',
      'plesk',
      'cpanel',
      'wol',
      'hot_swap',
      'linked_storagebox',
    ])
      assert.ok(flag in one.server, flag);
    assertError((await robot.call('GET', '/server/999')).body, 404, 'SERVER_NOT_FOUND');
    const renamed = await robot.call('POST', '/server/321', { server_name: 'bm-renamed' });
    assert.equal((renamed.body as { server: Json }).server.server_name, 'bm-renamed');
    assertError((await robot.call('GET', '/key')).body, 404, 'NOT_FOUND');
    const empty = await start({ servers: [] });
    assertError((await empty.robot.call('GET', '/server')).body, 404, 'SERVER_NOT_FOUND');
  });

  it('stores keys by material: 201 on create, 409 KEY_ALREADY_EXISTS for the same data, MD5 fingerprints', async () => {
    const { robot } = await start();
    const key = generateSshKeyPair('robot');
    const created = await robot.call('POST', '/key', { name: 'one', data: key.publicKey });
    assert.equal(created.status, 201);
    const stored = (created.body as { key: Json }).key;
    assert.match(String(stored.fingerprint), /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    assert.deepEqual([stored.type, stored.size], ['ED25519', 256]);
    assert.match(String(stored.created_at), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assertError(
      (await robot.call('POST', '/key', { name: 'two', data: key.publicKey })).body,
      409,
      'KEY_ALREADY_EXISTS',
    );
    const missing = assertError(
      (await robot.call('POST', '/key', { name: 'three' })).body,
      400,
      'INVALID_INPUT',
    );
    assert.deepEqual(missing.missing, ['data']);
    const listed = (await robot.call('GET', '/key')).body as { key: Json }[];
    assert.deepEqual(
      listed.map((k) => k.key.name),
      ['one'],
    );
    assert.equal((await robot.call('DELETE', `/key/${String(stored.fingerprint)}`)).status, 200);
  });

  it('flips rescue os/arch between choices and scalars, returns a password with keys, and accepts all key encodings', async () => {
    const { robot } = await start();
    const keys = [generateSshKeyPair('a'), generateSshKeyPair('b')];
    const prints: string[] = [];
    for (const [i, key] of keys.entries()) {
      const created = await robot.call('POST', '/key', { name: `k${i}`, data: key.publicKey });
      prints.push(String((created.body as { key: Json }).key.fingerprint));
    }
    const inactive = ((await robot.call('GET', '/boot/321/rescue')).body as { rescue: Json }).rescue;
    assert.deepEqual(
      [inactive.os, inactive.arch, inactive.active, inactive.password],
      [['linux', 'vkvm'], [64], false, null],
    );
    const noOs = assertError((await robot.call('POST', '/boot/321/rescue', {})).body, 400, 'INVALID_INPUT');
    assert.deepEqual(noOs.missing, ['os']);
    const encodings = [
      `os=linux&authorized_key=${prints[0] ?? ''}&authorized_key=${prints[1] ?? ''}`,
      `os=linux&authorized_key[]=${prints[0] ?? ''}&authorized_key[]=${prints[1] ?? ''}`,
      `os=linux&authorized_key[0]=${prints[0] ?? ''}&authorized_key[1]=${prints[1] ?? ''}`,
    ];
    for (const form of encodings) {
      const activated = await robot.call('POST', '/boot/321/rescue', form);
      assert.equal(activated.status, 200, form);
      const rescue = (activated.body as { rescue: Json }).rescue;
      assert.deepEqual([rescue.os, rescue.arch, rescue.active], ['linux', 64, true]);
      assert.equal(typeof rescue.password, 'string');
      assert.deepEqual(
        (rescue.authorized_key as { key: Json }[]).map((k) => k.key.fingerprint),
        prints,
      );
      assertError(
        (await robot.call('POST', '/boot/321/rescue', { os: 'linux' })).body,
        409,
        'BOOT_ALREADY_ENABLED',
      );
      assert.equal((await robot.call('DELETE', '/boot/321/rescue')).status, 200);
    }
    const again = await robot.call('DELETE', '/boot/321/rescue');
    assert.equal(again.status, 200, 'deleting an inactive rescue succeeds');
    const last = ((await robot.call('GET', '/boot/321/rescue/last')).body as { rescue: Json }).rescue;
    assert.deepEqual([last.os, last.active], ['linux', false]);
    assertError(
      (await robot.call('POST', '/boot/321/rescue', { os: 'linux', authorized_key: 'no:such' })).body,
      400,
      'INVALID_INPUT',
    );
  });

  it("offers the server's reset types, refuses others, and refuses resets while a manual one is pending", async () => {
    const { robot } = await start();
    const reset = ((await robot.call('GET', '/reset/321')).body as { reset: Json }).reset;
    assert.deepEqual(reset.type, ['sw', 'hw', 'man']);
    assert.equal(reset.operating_status, 'not supported');
    assertError((await robot.call('POST', '/reset/321', { type: 'power' })).body, 400, 'INVALID_INPUT');
    const done = await robot.call('POST', '/reset/321', { type: 'sw' });
    assert.deepEqual((done.body as { reset: Json }).reset, {
      ...pick(reset, ['server_ip', 'server_ipv6_net', 'server_number']),
      type: 'sw',
    });
    assert.equal((await robot.call('POST', '/reset/321', { type: 'man' })).status, 200);
    assertError((await robot.call('POST', '/reset/321', { type: 'hw' })).body, 409, 'RESET_MANUAL_ACTIVE');
    const powerAware = ((await robot.call('GET', '/reset/322')).body as { reset: Json }).reset;
    assert.equal(powerAware.operating_status, 'running');
  });

  it('answers 403 RATE_LIMIT_EXCEEDED with max_request, max_requests and interval per endpoint', async () => {
    const { robot } = await start({ rateLimitScale: 0.02 });
    assert.equal((await robot.call('POST', '/reset/322', { type: 'sw' })).status, 200);
    const refused = await robot.call('POST', '/reset/322', { type: 'sw' });
    assert.equal(refused.status, 403);
    const error = assertError(refused.body, 403, 'RATE_LIMIT_EXCEEDED');
    assert.deepEqual([error.max_request, error.max_requests, error.interval], [1, 1, 3600]);
    assert.equal((await robot.call('GET', '/reset/322')).status, 200, 'other endpoints have their own limit');
  });

  it('refuses non-form bodies and serves injected faults in its own envelope', async () => {
    const { sim, robot } = await start();
    const json = await fetch(`${sim.endpoint}/server/321`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${sim.user}:${sim.password}`).toString('base64')}`,
        'Content-Type': 'application/json',
      },
      body: '{"server_name":"x"}',
    });
    assert.equal(json.status, 400);
    sim.faults.add({ kind: 'request', path: '/server/:id', status: 500, count: 1 });
    assertError((await robot.call('GET', '/server/321')).body, 500, 'INTERNAL_ERROR');
    assert.equal((await robot.call('GET', '/server/321')).status, 200);
  });
});

function pick(record: Json, keys: readonly string[]): Json {
  return Object.fromEntries(keys.map((key) => [key, record[key]]));
}
