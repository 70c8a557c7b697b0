import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  CloudApiObserver,
  ObservedCloudRequest,
  ObservedCloudWait,
} from '../../ports/cloud-api-observer.js';
import { HcloudTransport } from './hcloud-transport.js';

const token = 't'.repeat(64);

class Recorder implements CloudApiObserver {
  readonly requests: ObservedCloudRequest[] = [];
  readonly waits: ObservedCloudWait[] = [];
  requested(request: ObservedCloudRequest): void {
    this.requests.push(request);
  }
  waited(wait: ObservedCloudWait): void {
    this.waits.push(wait);
  }
}

const answer =
  (status: number, body: unknown, headers: Record<string, string> = {}): (() => Promise<Response>) =>
  () =>
    Promise.resolve(
      new Response(JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json', ...headers },
      }),
    );

function transport(answers: (() => Promise<Response>)[], observer: CloudApiObserver): HcloudTransport {
  let now = 1_000_000;
  return new HcloudTransport({
    token,
    endpoint: 'https://api.example.test/v1',
    now: () => now,
    sleep: (ms) => {
      now += ms;
      return Promise.resolve();
    },
    random: () => 0,
    backoffBaseMs: 1,
    observer,
    fetch: () => {
      const next = answers.shift();
      if (next === undefined) throw new Error('no more answers');
      return next();
    },
  });
}

describe('hcloud transport observer', () => {
  it('reports every exchange with its method, templated endpoint and status, never a raw id', async () => {
    const recorder = new Recorder();
    const client = transport(
      [answer(201, { action: { id: 7 } }), () => Promise.reject(new TypeError('fetch failed'))],
      recorder,
    );
    await client.request({ operation: 'powerOn', method: 'POST', path: '/servers/4242/actions/poweron' });
    await assert.rejects(client.request({ operation: 'getAction', method: 'GET', path: '/actions/99' }));
    assert.deepEqual(
      recorder.requests.map(({ method, endpoint, status }) => ({ method, endpoint, status })),
      [
        { method: 'POST', endpoint: '/servers/{id}/actions/poweron', status: 201 },
        { method: 'GET', endpoint: '/actions/{id}', status: 0 },
      ],
    );
    assert.deepEqual(recorder.waits, []);
  });

  it('reports the waits after a 429: the backoff and the wait for the budget to refill', async () => {
    const recorder = new Recorder();
    const limited = {
      'RateLimit-Limit': '3600',
      'RateLimit-Remaining': '0',
      'RateLimit-Reset': String(Math.ceil((1_000_000 + 3_600_000) / 1000)),
    };
    const client = transport(
      [
        answer(429, { error: { code: 'rate_limit_exceeded', message: 'limit' } }, limited),
        answer(200, { servers: [] }),
      ],
      recorder,
    );
    await client.request({ operation: 'findServerByName', method: 'GET', path: '/servers' });
    assert.deepEqual(
      recorder.requests.map((request) => request.status),
      [429, 200],
    );
    assert.deepEqual(
      recorder.waits.map((wait) => wait.cause),
      ['rate_limited', 'rate_limited'],
    );
    assert.equal(recorder.waits[0]?.ms, 1, 'the backoff before the first retry (base 1 ms here)');
    const refill = recorder.waits[1]?.ms ?? 0;
    assert.ok(refill >= 900 && refill <= 1000, `then the budget waits for one refilled request: ${refill}`);
  });
});
