import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCloudError } from '../../ports/cloud-errors.js';
import { HcloudTransport } from './hcloud-transport.js';

const token = 't'.repeat(64);

interface Seen {
  readonly url: string;
  readonly init: RequestInit;
}

function transport(
  answers: (() => Promise<Response>)[],
  seen: Seen[],
  sleeps: number[] = [],
): HcloudTransport {
  return new HcloudTransport({
    token,
    endpoint: 'https://api.example.test/v1/',
    sleep: (ms) => {
      sleeps.push(ms);
      return Promise.resolve();
    },
    random: () => 0,
    fetch: (url, init) => {
      seen.push({ url: url instanceof Request ? url.url : url.toString(), init: init ?? {} });
      const next = answers.shift();
      if (next === undefined) throw new Error('no more answers');
      return next();
    },
  });
}

const json =
  (status: number, body: unknown): (() => Promise<Response>) =>
  () =>
    Promise.resolve(
      new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } }),
    );

describe('hcloud transport', () => {
  it('sends Bearer auth and JSON, with no body or Content-Type when there is nothing to send', async () => {
    const seen: Seen[] = [];
    const client = transport([json(201, { action: { id: 1 } }), json(200, {})], seen);
    await client.request({ operation: 'powerOn', method: 'POST', path: '/servers/1/actions/poweron' });
    await client.request({
      operation: 'x',
      method: 'POST',
      path: '/servers',
      body: { a: 1 },
      query: { name: 'n' },
    });
    const bare = seen[0];
    const withBody = seen[1];
    assert.ok(bare && withBody);
    assert.equal(bare.url, 'https://api.example.test/v1/servers/1/actions/poweron');
    const headers = bare.init.headers as Record<string, string>;
    assert.equal(headers.Authorization, `Bearer ${token}`);
    assert.equal(headers['Content-Type'], undefined);
    assert.equal(bare.init.body, undefined);
    assert.equal(withBody.url, 'https://api.example.test/v1/servers?name=n');
    assert.equal((withBody.init.headers as Record<string, string>)['Content-Type'], 'application/json');
    assert.equal(withBody.init.body, '{"a":1}');
  });

  it('does not retry locked, nor connection failures; retries bodiless 504', async () => {
    const seen: Seen[] = [];
    const locked = transport(
      [
        json(423, {
          error: { code: 'locked', message: 'cannot perform operation because server is locked' },
        }),
      ],
      seen,
    );
    await assert.rejects(
      locked.request({ operation: 'reset', method: 'POST', path: '/servers/1/actions/reset' }),
      (error) => isCloudError(error, 'locked') && /hcloud reset failed/.test(error.message),
    );
    const refused = transport([() => Promise.reject(new TypeError('fetch failed'))], seen);
    await assert.rejects(
      refused.request({ operation: 'getServer', method: 'GET', path: '/servers/1' }),
      (error) => isCloudError(error, 'network_error'),
    );
    const sleeps: number[] = [];
    const gateway = transport(
      [() => Promise.resolve(new Response('', { status: 504 })), json(200, { ok: true })],
      seen,
      sleeps,
    );
    assert.deepEqual(await gateway.request({ operation: 'g', method: 'GET', path: '/x' }), { ok: true });
    assert.deepEqual(sleeps, [1000], 'hcloud-go waits 1 s before the first retry');
  });

  it('never puts the token into an error, even when the API echoes it', async () => {
    const client = transport([json(422, { error: { code: 'invalid_input', message: `bad ${token}` } })], []);
    await assert.rejects(
      client.request({ operation: 'createServer', method: 'POST', path: '/servers', body: {} }),
      (error) => isCloudError(error, 'invalid_input') && !error.message.includes(token),
    );
  });
});
