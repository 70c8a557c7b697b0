import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { waitFor } from '../../sim/process/wait-for.js';
import { TcpBannerWatch } from './banner-watch.js';

async function listen(onConnection: (socket: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(onConnection);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0 };
}

describe('TcpBannerWatch', () => {
  it('never waits: not answering at first, answering once the SSH banner arrived in the background', async () => {
    const { server, port } = await listen((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n'));
    try {
      const watch = new TcpBannerWatch();
      assert.equal(watch.answering('127.0.0.1', port), false, 'the first call only starts an attempt');
      await waitFor(() => Promise.resolve(watch.answering('127.0.0.1', port) ? true : undefined), {
        deadlineMs: 5_000,
        initialIntervalMs: 10,
        description: 'the banner to be seen',
      });
    } finally {
      server.close();
    }
  });

  it('a port that accepts but shows no SSH banner, or refuses, is not answering', async () => {
    const { server, port } = await listen((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    server.close(); // refused from now on, after a first answer that was not SSH
    const watch = new TcpBannerWatch();
    for (let i = 0; i < 5; i += 1) assert.equal(watch.answering('127.0.0.1', port), false);
  });

  it('with a callback, keeps trying in the background and calls it once when the banner appears', async () => {
    const first = await listen((socket) => socket.destroy());
    const { port } = first;
    await new Promise<void>((resolve) => first.server.close(() => resolve())); // refused for now
    const watch = new TcpBannerWatch();
    let calls = 0;
    assert.equal(
      watch.answering('127.0.0.1', port, () => (calls += 1)),
      false,
    );
    const server = createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n'));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await waitFor(() => Promise.resolve(calls > 0 ? true : undefined), {
        deadlineMs: 10_000,
        initialIntervalMs: 20,
        description: 'the watch to call back without being asked again',
      });
      assert.equal(calls, 1);
      assert.equal(watch.answering('127.0.0.1', port), true);
    } finally {
      server.close();
    }
  });
});
