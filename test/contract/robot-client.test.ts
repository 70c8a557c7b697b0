import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { waitFor } from '../../sim/process/wait-for.js';
import { RobotSimulator, type RobotSimulatorOptions } from '../../sim/robot/robot-simulator.js';
import { HrobotServers, RobotRequestBudget, sshKeyFingerprint } from '../../src/hetzner/robot/index.js';
import type { RobotTransportOptions } from '../../src/hetzner/robot/index.js';
import { isRobotError, type RobotError } from '../../src/ports/robot-errors.js';

/**
 * The production Robot client against the Robot simulator over HTTP
 * (robot.hetzner.com/doc/webservice/en.html).
 */
describe('robot client contract (Robot simulator)', () => {
  let scratch = '';
  let sim: RobotSimulator;
  let robot: HrobotServers;
  const sims: RobotSimulator[] = [];
  const thrown: unknown[] = [];
  const secrets = new Set<string>();
  const clock = { skew: 0, sleeps: [] as number[], waits: [] as string[] };

  async function start(options: Partial<RobotSimulatorOptions> = {}): Promise<RobotSimulator> {
    const started = await RobotSimulator.start({
      stateDir: join(scratch, `robot-${sims.length}`),
      profile: 'fast',
      bootSystems: false,
      ipLock: false,
      servers: [{ number: 321, resetTypes: ['sw', 'hw', 'man'] }, { number: 322 }],
      ...options,
    });
    sims.push(started);
    for (const secret of [started.password, started.user]) secrets.add(secret);
    return started;
  }

  /** A client whose clock moves on by every wait it sleeps (no real waiting). */
  function client(target: RobotSimulator, extra: Partial<RobotTransportOptions> = {}): HrobotServers {
    return new HrobotServers({
      user: target.user,
      password: target.password,
      endpoint: target.endpoint,
      backoffBaseMs: 1,
      now: () => Date.now() + clock.skew,
      sleep: (ms) => {
        clock.sleeps.push(ms);
        clock.skew += ms;
        return Promise.resolve();
      },
      observer: {
        onRateLimitWait: (seconds, endpoint, cause) => clock.waits.push(`${seconds} ${endpoint} ${cause}`),
      },
      ...extra,
    });
  }

  async function rejectsWith(promise: Promise<unknown>, code: string, apiCode?: string): Promise<RobotError> {
    const error = await promise.then(
      () => assert.fail(`expected a RobotError ${code}`),
      (caught: unknown) => caught,
    );
    thrown.push(error);
    assert.ok(isRobotError(error), `a RobotError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (apiCode !== undefined) assert.equal(error.apiCode, apiCode, error.message);
    return error;
  }

  const logged = (target: RobotSimulator, endpoint: string): number[] =>
    target.requests
      .recent()
      .filter((entry) => entry.endpoint === endpoint)
      .map((entry) => entry.status);

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-robot-client-'));
    sim = await start();
    robot = client(sim);
  });
  after(async () => {
    for (const started of sims) await started.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  const [rescueKey, osKey] = [generateSshKeyPair('rescue'), generateSshKeyPair('os')];

  it('reads a server with its addresses and flags, and renames it', async () => {
    const server = await robot.getServer({ serverNumber: 321 });
    assert.deepEqual(server, {
      serverNumber: 321,
      name: 'server-321',
      ipv4: sim.server(321).machine.host.address,
      ipv6Network: sim.server(321).ipv6Net,
      product: 'AX42',
      datacenter: 'FSN1-DC14',
      status: 'ready',
      cancelled: false,
      rescueAvailable: true,
      resetAvailable: true,
    });
    assert.equal(
      (await robot.renameServer({ serverNumber: 321, name: 'bm-machine-1' })).name,
      'bm-machine-1',
    );
    assert.equal((await robot.getServer({ serverNumber: 321 })).name, 'bm-machine-1');
  });

  it('stores SSH keys and finds them by key material; an empty account lists none', async () => {
    assert.deepEqual(await robot.listSshKeys(), []);
    assert.equal(await robot.findSshKey({ publicKey: rescueKey.publicKey }), undefined);
    const created = await robot.createSshKey({ name: 'rescue', publicKey: rescueKey.publicKey });
    const fingerprint = sshKeyFingerprint(rescueKey.publicKey);
    assert.deepEqual(created, { name: 'rescue', fingerprint, type: 'ED25519', size: 256 });
    await robot.createSshKey({ name: 'os', publicKey: osKey.publicKey });
    await rejectsWith(
      robot.createSshKey({ name: 'again', publicKey: rescueKey.publicKey }),
      'ROBOT_CONFLICT',
      'KEY_ALREADY_EXISTS',
    );
    const [kind, blob] = rescueKey.publicKey.split(' ');
    assert.deepEqual(
      await robot.findSshKey({ publicKey: `${kind ?? ''} ${blob ?? ''} other-comment` }),
      created,
    );
    assert.deepEqual(
      (await robot.listSshKeys()).map((key) => key.name),
      ['rescue', 'os'],
    );
  });

  it('arms rescue with the keys (authorized_key[]), refuses a second activation, disarms idempotently', async () => {
    const prints = [sshKeyFingerprint(rescueKey.publicKey), sshKeyFingerprint(osKey.publicKey)];
    assert.deepEqual(await robot.getRescue({ serverNumber: 321 }), {
      serverNumber: 321,
      active: false,
      authorizedKeyFingerprints: [],
    });
    const armed = await robot.activateRescue({ serverNumber: 321, authorizedKeyFingerprints: prints });
    assert.deepEqual(armed, {
      serverNumber: 321,
      active: true,
      os: 'linux',
      authorizedKeyFingerprints: prints,
    });
    const password = sim.server(321).rescue?.password ?? '';
    assert.ok(
      password.length > 0 && !JSON.stringify(armed).includes(password),
      'the rescue password is not kept',
    );
    secrets.add(password);
    const twice = await rejectsWith(
      robot.activateRescue({ serverNumber: 321, authorizedKeyFingerprints: prints }),
      'ROBOT_CONFLICT',
      'BOOT_ALREADY_ENABLED',
    );
    assert.equal(twice.retryable, false);
    assert.equal((await robot.deactivateRescue({ serverNumber: 321 })).active, false);
    assert.equal((await robot.deactivateRescue({ serverNumber: 321 })).active, false);
    const unknown = await rejectsWith(
      robot.activateRescue({
        serverNumber: 321,
        authorizedKeyFingerprints: ['00'.repeat(16).replace(/(..)(?!$)/g, '$1:')],
      }),
      'ROBOT_INVALID_INPUT',
      'INVALID_INPUT',
    );
    assert.match(unknown.message, /invalid: authorized_key/);
  });

  it('resets into the armed rescue system: the activation is consumed by the boot', async () => {
    assert.deepEqual(await robot.getResetOptions({ serverNumber: 321 }), {
      serverNumber: 321,
      types: ['sw', 'hw', 'man'],
      operatingStatus: 'not supported',
    });
    const powerAware = await robot.getResetOptions({ serverNumber: 322 });
    assert.deepEqual(
      [powerAware.types, powerAware.operatingStatus],
      [['sw', 'hw', 'power', 'power_long', 'man'], 'running'],
    );
    await robot.activateRescue({
      serverNumber: 321,
      authorizedKeyFingerprints: [sshKeyFingerprint(rescueKey.publicKey)],
    });
    await robot.reset({ serverNumber: 321, type: 'sw' });
    await waitFor(async () => ((await robot.getRescue({ serverNumber: 321 })).active ? undefined : true), {
      deadlineMs: 10_000,
      description: 'the rescue activation consumed by the reset',
    });
    await rejectsWith(
      robot.reset({ serverNumber: 321, type: 'power' }),
      'ROBOT_INVALID_INPUT',
      'INVALID_INPUT',
    );
  });

  it('answers ROBOT_NOT_FOUND (SERVER_NOT_FOUND, 404) for an unknown server in every server operation', async () => {
    const serverNumber = 999;
    const fingerprint = sshKeyFingerprint(rescueKey.publicKey);
    const calls = [
      () => robot.getServer({ serverNumber }),
      () => robot.renameServer({ serverNumber, name: 'x' }),
      () => robot.getRescue({ serverNumber }),
      () => robot.activateRescue({ serverNumber, authorizedKeyFingerprints: [fingerprint] }),
      () => robot.deactivateRescue({ serverNumber }),
      () => robot.getResetOptions({ serverNumber }),
      () => robot.reset({ serverNumber, type: 'hw' }),
    ];
    for (const call of calls) {
      const error = await rejectsWith(call(), 'ROBOT_NOT_FOUND', 'SERVER_NOT_FOUND');
      assert.deepEqual([error.httpStatus, error.retryable], [404, false]);
    }
  });

  it('retries a 5xx for a read, never for a reset', async () => {
    sim.faults.add({ kind: 'request', path: '/server/:id', status: 500, count: 1 });
    assert.equal((await robot.getServer({ serverNumber: 322 })).serverNumber, 322);
    const before = logged(sim, 'POST /reset/:id').length;
    sim.faults.add({ kind: 'request', path: '/reset/:id', method: 'POST', status: 500, count: 1 });
    await rejectsWith(robot.reset({ serverNumber: 322, type: 'sw' }), 'ROBOT_UNAVAILABLE', 'INTERNAL_ERROR');
    assert.deepEqual(logged(sim, 'POST /reset/:id').slice(before), [500], 'sent once');
  });

  it('answers ROBOT_UNAUTHORIZED for wrong credentials without showing them, and stops logging in', async () => {
    const locking = await start({ ipLock: { failures: 2, lockMs: 60_000 } });
    const wrongPassword = `wrong-${locking.password}`;
    secrets.add(wrongPassword);
    const wrong = client(locking, { password: wrongPassword });
    for (let i = 0; i < 3; i += 1) {
      const error = await rejectsWith(wrong.getServer({ serverNumber: 321 }), 'ROBOT_UNAUTHORIZED');
      assert.ok(
        !error.message.includes(wrongPassword) && !error.message.includes(locking.user),
        error.message,
      );
    }
    assert.deepEqual(logged(locking, 'GET /server/:id'), [401], 'one failed login only');
    assert.equal(
      (await client(locking).getServer({ serverNumber: 321 })).serverNumber,
      321,
      'address not blocked',
    );
  });

  it('keeps within the per-endpoint limits: the request over the limit is not sent', async () => {
    const limited = await start({ rateLimitScale: 0.02 });
    const budget = new RobotRequestBudget({ limits: { server: 4 } });
    const own = client(limited, { budget });
    for (let i = 0; i < 4; i += 1) await own.getServer({ serverNumber: 321 });
    const error = await rejectsWith(own.getServer({ serverNumber: 321 }), 'ROBOT_RATE_LIMITED');
    assert.equal(error.apiCode, undefined, 'refused by the budget, not by Robot');
    assert.ok((error.retryAfterMs ?? 0) > 3_500_000, String(error.retryAfterMs));
    assert.deepEqual(logged(limited, 'GET /server/:id'), [200, 200, 200, 200]);
  });

  it("learns the limit from Robot's 403 RATE_LIMIT_EXCEEDED and then stops sending", async () => {
    const limited = await start({ rateLimitScale: 0.02 });
    const own = client(limited);
    await own.reset({ serverNumber: 322, type: 'sw' });
    const error = await rejectsWith(
      own.reset({ serverNumber: 322, type: 'sw' }),
      'ROBOT_RATE_LIMITED',
      'RATE_LIMIT_EXCEEDED',
    );
    assert.deepEqual([error.httpStatus, error.retryable], [403, true]);
    assert.ok((error.retryAfterMs ?? 0) > 3_500_000, String(error.retryAfterMs));
    await rejectsWith(own.reset({ serverNumber: 322, type: 'sw' }), 'ROBOT_RATE_LIMITED');
    assert.deepEqual(logged(limited, 'POST /reset/:id'), [200, 403]);
    assert.equal(own.budgetState()['reset-write'].limit, 1);
  });

  it('waits after a 403 when the window allows soon, and sends again', async () => {
    sim.faults.add({
      kind: 'request',
      path: '/boot/:id/rescue',
      status: 403,
      code: 'RATE_LIMIT_EXCEEDED',
      count: 1,
    });
    clock.waits.length = 0;
    assert.equal((await client(sim).getRescue({ serverNumber: 322 })).active, false);
    assert.deepEqual(clock.waits, ['7.2 /boot/{n}/rescue rate_limited'], '3600 s / 500 requests');
  });

  it('never shows a credential in any error it threw, nor in a request path', () => {
    assert.ok(thrown.length > 15, `${thrown.length} errors collected`);
    for (const error of thrown) {
      const text = describeFully(error);
      for (const secret of secrets) assert.ok(!text.includes(secret), `an error shows a credential: ${text}`);
    }
    for (const started of sims)
      for (const entry of started.requests.recent())
        for (const secret of secrets) assert.ok(!entry.path.includes(secret), entry.path);
  });
});

/** Message, stack and every cause's, as a log line would show them. */
function describeFully(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth += 1) {
    parts.push(
      current instanceof Error ? `${current.message}\n${current.stack ?? ''}` : JSON.stringify(current),
    );
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n') + JSON.stringify(error);
}
