import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { RuntimeMetrics } from './metrics.js';
import { OpsServer, parseBindAddress } from './ops-server.js';

async function fetchText(url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url);
  return { status: response.status, text: await response.text() };
}

describe('OpsServer', () => {
  it('answers probes with per-check lines and 200 or 503, and serves metrics', async () => {
    let synced = false;
    const metrics = new RuntimeMetrics(new Registry());
    metrics.forQueue('hcloudmachine').depth(3);
    const server = new OpsServer({
      healthChecks: { ping: () => true },
      readyChecks: { ping: () => true, 'informers-synced': () => synced || 'waiting for HCloudMachine' },
      registry: metrics.registry,
    });
    const { port } = await server.listen('127.0.0.1:0');
    try {
      const base = `http://127.0.0.1:${port}`;
      assert.deepEqual(await fetchText(`${base}/healthz`), { status: 200, text: '[+]ping ok\nok\n' });
      assert.deepEqual(await fetchText(`${base}/readyz`), {
        status: 503,
        text: '[+]ping ok\n[-]informers-synced failed: waiting for HCloudMachine\nnot ok\n',
      });
      synced = true;
      assert.equal((await fetchText(`${base}/readyz`)).status, 200);
      const scraped = await fetchText(`${base}/metrics`);
      assert.equal(scraped.status, 200);
      assert.match(scraped.text, /^workqueue_depth\{name="hcloudmachine"\} 3$/m);
      assert.equal((await fetchText(`${base}/nothing`)).status, 404);
    } finally {
      await server.close();
    }
  });

  it('parses bind addresses as controller-runtime writes them', () => {
    assert.deepEqual(parseBindAddress(':8080'), { host: undefined, port: 8080 });
    assert.deepEqual(parseBindAddress('127.0.0.1:0'), { host: '127.0.0.1', port: 0 });
    assert.deepEqual(parseBindAddress('[::1]:9443'), { host: '::1', port: 9443 });
  });
});
