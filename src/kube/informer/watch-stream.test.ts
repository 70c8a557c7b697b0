import assert from 'node:assert/strict';
import { createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { KubeApiError } from '../client/errors.js';
import { consumeWatch, type WatchEvent } from './watch-stream.js';

type Script = (response: ServerResponse) => void;

/** A local HTTP server that plays one scripted watch response per request path. */
describe('consumeWatch', () => {
  const scripts = new Map<string, Script>();
  let server: Server;
  let base: string;

  before(async () => {
    server = createServer((request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      scripts.get(request.url ?? '')?.(response);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function open(path: string, script: Script): Promise<IncomingMessage> {
    scripts.set(path, script);
    return new Promise((resolve, reject) => get(`${base}${path}`, resolve).once('error', reject));
  }

  it('delivers events split across chunks in order and resolves when the server ends the watch', async () => {
    const response = await open('/split', (res) => {
      const lines = [
        JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '1' } } }),
        JSON.stringify({ type: 'MODIFIED', object: { metadata: { name: 'a', resourceVersion: '2' } } }),
        JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '3' } } }),
      ].join('\n');
      res.write(lines.slice(0, 17));
      setImmediate(() => res.end(`${lines.slice(17)}\n`));
    });
    const events: WatchEvent<{ metadata: { resourceVersion: string } }>[] = [];
    const count = await consumeWatch<{ metadata: { resourceVersion: string } }>(response, {
      label: 'GET /split',
      idleTimeoutMs: 5_000,
      onEvent: (e) => events.push(e),
    });
    assert.equal(count, 3);
    assert.deepEqual(
      events.map((e) => [e.type, e.object.metadata.resourceVersion]),
      [
        ['ADDED', '1'],
        ['MODIFIED', '2'],
        ['BOOKMARK', '3'],
      ],
    );
  });

  it('turns an ERROR event with 410 into KUBE_GONE', async () => {
    const response = await open('/gone', (res) => {
      res.write(
        `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' } })}\n`,
      );
    });
    await assert.rejects(
      consumeWatch(response, { label: 'GET /gone', idleTimeoutMs: 5_000, onEvent: () => undefined }),
      (error: unknown) => error instanceof KubeApiError && error.code === 'KUBE_GONE',
    );
  });

  it('cuts a watch that stays silent longer than the watchdog allows', async () => {
    const response = await open('/silent', (res) => res.write('\n'));
    const began = performance.now();
    await assert.rejects(
      consumeWatch(response, { label: 'GET /silent', idleTimeoutMs: 150, onEvent: () => undefined }),
      (error: unknown) => error instanceof KubeApiError && error.code === 'KUBE_TIMEOUT',
    );
    assert.ok(performance.now() - began >= 140);
  });

  it('fails with KUBE_UNREACHABLE when the connection breaks', async () => {
    const response = await open('/broken', (res) => {
      res.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a' } } })}\n`);
      setImmediate(() => res.socket?.destroy());
    });
    await assert.rejects(
      consumeWatch(response, { label: 'GET /broken', idleTimeoutMs: 5_000, onEvent: () => undefined }),
      (error: unknown) => error instanceof KubeApiError && error.code === 'KUBE_UNREACHABLE',
    );
  });
});
