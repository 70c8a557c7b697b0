import { connect, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * - pass: bytes flow both ways.
 * - refuse: every connection is reset, new ones at once (a crashed peer, a firewall reject).
 * - blackhole: connections stay open but no byte passes, ever again for those open now
 *   (a dead network path: half-open TCP, which only a client-side watchdog notices).
 */
export type ProxyMode = 'pass' | 'refuse' | 'blackhole';

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket | undefined;
  frozen: boolean;
}

/** A TCP proxy on loopback in front of `127.0.0.1:targetPort` (TLS passes through untouched). */
export class TcpProxy {
  private readonly pairs = new Set<Pair>();
  private current: ProxyMode = 'pass';

  private constructor(
    private readonly server: Server,
    private readonly targetPort: number,
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, targetPort);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  get mode(): ProxyMode {
    return this.current;
  }

  set mode(mode: ProxyMode) {
    this.current = mode;
    for (const pair of this.pairs) {
      if (mode === 'refuse') this.drop(pair);
      if (mode === 'blackhole') pair.frozen = true;
    }
  }

  async close(): Promise<void> {
    for (const pair of this.pairs) this.drop(pair);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.current === 'refuse') {
      client.resetAndDestroy();
      return;
    }
    const frozen = this.current === 'blackhole';
    const upstream = frozen ? undefined : connect(this.targetPort, '127.0.0.1');
    const pair: Pair = { client, upstream, frozen };
    this.pairs.add(pair);
    client.on('data', (chunk: Buffer) => {
      if (!pair.frozen) upstream?.write(chunk);
    });
    upstream?.on('data', (chunk: Buffer) => {
      if (!pair.frozen) client.write(chunk);
    });
    const end = (): void => this.drop(pair);
    client.on('error', end).on('close', end);
    // Through a blackhole not even the upstream's close reaches the client.
    const upstreamEnd = (): void => (pair.frozen ? void upstream?.destroy() : end());
    upstream?.on('error', upstreamEnd).on('close', upstreamEnd);
  }

  private drop(pair: Pair): void {
    this.pairs.delete(pair);
    pair.client.resetAndDestroy();
    pair.upstream?.destroy();
  }
}
