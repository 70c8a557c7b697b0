import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRobotError, RobotError } from '../../ports/robot-errors.js';
import { RobotTransport } from './robot-transport.js';
import type { RobotTransportOptions } from './transport-options.js';

const user = '#ws+transport';
const password = 'p4ss-w0rd-never-shown';

type Answer = () => Promise<Response>;

interface Harness {
  readonly transport: RobotTransport;
  readonly seen: { url: string; init: RequestInit }[];
  readonly sleeps: number[];
  readonly waits: unknown[];
  readonly requests: string[];
  readonly clock: { now: number };
}

/** A transport over scripted answers; its clock moves on by every wait it sleeps. */
function harness(answers: Answer[], extra: Partial<RobotTransportOptions> = {}): Harness {
  const seen: { url: string; init: RequestInit }[] = [];
  const [sleeps, waits, requests, clock] = [[] as number[], [] as unknown[], [] as string[], { now: 1.8e12 }];
  const transport = new RobotTransport({
    user,
    password,
    endpoint: 'https://robot.example.test/',
    now: () => clock.now,
    sleep: (ms) => {
      sleeps.push(ms);
      clock.now += ms;
      return Promise.resolve();
    },
    random: () => 0,
    fetch: (url, init) => {
      seen.push({ url: url instanceof Request ? url.url : url.toString(), init: init ?? {} });
      return (answers.shift() ?? (() => Promise.reject(new Error('no more answers'))))();
    },
    observer: {
      onRequest: (endpoint, method, status) => requests.push(`${method} ${endpoint} ${status}`),
      onRateLimitWait: (seconds, endpoint, cause) => waits.push([seconds, endpoint, cause]),
    },
    ...extra,
  });
  return { transport, seen, sleeps, waits, requests, clock };
}

const json =
  (status: number, body: unknown): Answer =>
  () =>
    Promise.resolve(
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }),
    );
const robotError = (status: number, code: string, extra: Record<string, unknown> = {}): Answer =>
  json(status, { error: { status, code, message: code.toLowerCase(), ...extra } });
const socketError =
  (code: string): Answer =>
  () =>
    Promise.reject(new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) }));

async function rejection(promise: Promise<unknown>): Promise<RobotError> {
  const error = await promise.then(
    () => assert.fail('expected a RobotError'),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof RobotError, String(error));
  assert.ok(!error.message.includes(password) && !error.message.includes(user), error.message);
  return error;
}

describe('robot transport', () => {
  it('sends Basic auth in the header only, and form bodies only when there is a form', async () => {
    const h = harness([json(200, { server: {} }), json(200, { rescue: {} })]);
    await h.transport.request({ operation: 'getServer', params: { n: 321 } });
    await h.transport.request({
      operation: 'activateRescue',
      params: { n: 321 },
      form: { os: 'linux', authorized_key: ['aa:bb'] },
    });
    const [get, post] = h.seen;
    assert.ok(get && post);
    assert.equal(get.url, 'https://robot.example.test/server/321');
    const headers = get.init.headers as Record<string, string>;
    assert.equal(headers.Authorization, `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
    assert.equal(headers['Content-Type'], undefined);
    assert.equal(get.init.body, undefined);
    assert.equal(post.url, 'https://robot.example.test/boot/321/rescue');
    assert.equal(
      (post.init.headers as Record<string, string>)['Content-Type'],
      'application/x-www-form-urlencoded',
    );
    assert.equal(post.init.body, 'os=linux&authorized_key%5B%5D=aa%3Abb');
    assert.deepEqual(h.requests, ['GET /server/{n} 200', 'POST /boot/{n}/rescue 200']);
  });

  it('retries 5xx and connection resets for idempotent calls, with backoff', async () => {
    const h = harness([robotError(500, 'INTERNAL_ERROR'), socketError('ECONNRESET'), json(200, { ok: 1 })]);
    assert.deepEqual(await h.transport.request({ operation: 'getRescue', params: { n: 1 } }), { ok: 1 });
    assert.deepEqual(h.sleeps, [1000, 1000]);
    assert.deepEqual(h.requests, [
      'GET /boot/{n}/rescue 500',
      'GET /boot/{n}/rescue 0',
      'GET /boot/{n}/rescue 200',
    ]);
  });

  it('gives up after the configured retries', async () => {
    const h = harness(
      [503, 503, 503].map((s) => robotError(s, 'INTERNAL_ERROR')),
      { maxRetries: 2 },
    );
    const error = await rejection(h.transport.request({ operation: 'deactivateRescue', params: { n: 1 } }));
    assert.deepEqual([error.code, error.retryable, h.seen.length], ['ROBOT_UNAVAILABLE', true, 3]);
  });

  it('never resends a reset, a rescue activation or a key after a lost answer, unless it never left', async () => {
    for (const operation of ['reset', 'activateRescue', 'createSshKey'] as const) {
      const params = operation === 'createSshKey' ? {} : { n: 7 };
      const lost = harness([robotError(500, 'RESET_FAILED')]);
      assert.equal(
        (await rejection(lost.transport.request({ operation, params, form: {} }))).code,
        'ROBOT_UNAVAILABLE',
      );
      const cut = harness([socketError('ECONNRESET')]);
      await rejection(cut.transport.request({ operation, params, form: {} }));
      assert.equal(lost.seen.length + cut.seen.length, 2, operation);
      const refused = harness([socketError('ECONNREFUSED'), json(200, {})]);
      await refused.transport.request({ operation, params, form: {} });
      assert.equal(refused.seen.length, 2, `${operation}: a refused connection never delivered it`);
    }
  });

  it('waits for the window after 403 RATE_LIMIT_EXCEEDED and sends again, telling the observer', async () => {
    const h = harness([
      robotError(403, 'RATE_LIMIT_EXCEEDED', { max_requests: 50, interval: 3600 }),
      json(200, {}),
    ]);
    await h.transport.request({ operation: 'reset', params: { n: 7 }, form: { type: 'sw' } });
    assert.equal(h.seen.length, 2, 'a refused reset did not happen: safe to send again');
    // Nothing of ours in the window: one request's share of the hour (72 s).
    assert.deepEqual(h.waits, [[72, '/reset/{n}', 'rate_limited']]);
    assert.deepEqual(h.sleeps, [72_000]);
  });

  it('gives up with ROBOT_RATE_LIMITED and retryAfterMs when the window opens later than it waits', async () => {
    const h = harness([robotError(403, 'RATE_LIMIT_EXCEEDED', { max_request: 1, interval: 3600 })], {
      maxRateLimitWaitMs: 60_000,
    });
    const error = await rejection(h.transport.request({ operation: 'getServer', params: { n: 7 } }));
    assert.deepEqual(
      [error.code, error.apiCode, error.httpStatus, error.retryable],
      ['ROBOT_RATE_LIMITED', 'RATE_LIMIT_EXCEEDED', 403, true],
    );
    assert.equal(error.retryAfterMs, 3_600_000 + 1000);
    assert.match(error.message, /GET \/server\/\{n\}; next request allowed in 3601 s$/);
    const local = await rejection(h.transport.request({ operation: 'getServer', params: { n: 7 } }));
    assert.deepEqual([local.code, local.apiCode, h.seen.length], ['ROBOT_RATE_LIMITED', undefined, 1]);
    assert.match(local.message, /not sent/);
    assert.deepEqual(h.waits, []);
  });

  it('does not log in again for a while after a 401 (Robot blocks the address after 3 failures)', async () => {
    const h = harness([robotError(401, 'UNAUTHORIZED'), json(200, {})], { unauthorizedHoldMs: 60_000 });
    const first = await rejection(h.transport.request({ operation: 'getServer', params: { n: 1 } }));
    const held = await rejection(h.transport.request({ operation: 'getServer', params: { n: 1 } }));
    assert.deepEqual([first.code, held.code, h.seen.length], ['ROBOT_UNAUTHORIZED', 'ROBOT_UNAUTHORIZED', 1]);
    h.clock.now += 60_000;
    await h.transport.request({ operation: 'getServer', params: { n: 1 } });
    assert.equal(h.seen.length, 2);
  });

  it('keeps credentials out of echoed messages, and needs both of them', async () => {
    assert.throws(
      () => new RobotTransport({ user, password: '' }),
      (error) => isRobotError(error, 'ROBOT_UNAUTHORIZED'),
    );
    const h = harness([robotError(400, 'INVALID_INPUT', { message: `bad ${password} of ${user}` })]);
    await rejection(h.transport.request({ operation: 'renameServer', params: { n: 1 }, form: {} }));
  });

  it('refuses path values that would change the path, before sending', async () => {
    const h = harness([]);
    await rejection(h.transport.request({ operation: 'getServer', params: { n: 0 } }));
    assert.equal(h.seen.length, 0);
  });

  it('reads a non-JSON error page as an answer without envelope', async () => {
    const h = harness([() => Promise.resolve(new Response('<html>maintenance</html>', { status: 503 }))], {
      maxRetries: 0,
    });
    const error = await rejection(h.transport.request({ operation: 'getServer', params: { n: 1 } }));
    assert.deepEqual([error.code, error.apiCode, error.httpStatus], ['ROBOT_UNAVAILABLE', undefined, 503]);
  });
});
