import { connect, createServer, type Server, type Socket } from 'node:net';
import type { CloudProject } from './cloud-project.js';
import type { LoadBalancerRecord } from './load-balancer-record.js';
import { targetServers } from './load-balancer-targets.js';

interface Listener {
  readonly balancerId: number;
  readonly address: string;
  readonly listenPort: number;
  readonly server: Server;
  readonly sockets: Set<Socket>;
  /** Round-robin position: the next connection starts at the following target. */
  turn: number;
}

const CONNECT_TIMEOUT_MS = 3_000;

/**
 * Makes load balancers forward for real, as Hetzner's do: each service listens on the load
 * balancer's IPv4 at its listen port and passes TCP connections to the targets' destination
 * port, round robin over the targets that accept the connection. Targets are resolved per
 * connection, so added, removed or re-labelled servers take effect at once. A server target is
 * reached at its public address whether or not it uses its private IP (private networks are not
 * routed on this machine). http services are forwarded as plain TCP (no HTTP termination).
 */
export class LoadBalancerForwarding {
  private readonly listeners = new Map<string, Listener>();
  private syncing: Promise<void> = Promise.resolve();

  constructor(
    private readonly project: CloudProject,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Brings the listeners in line with the project's load balancers and services. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.reconcile()).catch(this.onError);
    return this.syncing;
  }

  /** Closes every listener and every forwarded connection. */
  async stop(): Promise<void> {
    await this.syncing;
    await Promise.all([...this.listeners.keys()].map((key) => this.close(key)));
  }

  /** The load balancer's listeners, `address:port`, for tests. */
  listening(balancerId: number): string[] {
    return [...this.listeners.values()]
      .filter((listener) => listener.balancerId === balancerId)
      .map((listener) => `${listener.address}:${listener.listenPort}`);
  }

  private async reconcile(): Promise<void> {
    const wanted = new Map<string, { balancer: LoadBalancerRecord; listenPort: number }>();
    for (const balancer of this.project.loadBalancers.values())
      for (const service of balancer.services)
        wanted.set(key(balancer.id, service.listen_port), { balancer, listenPort: service.listen_port });
    for (const existing of [...this.listeners.keys()]) if (!wanted.has(existing)) await this.close(existing);
    for (const [name, { balancer, listenPort }] of wanted)
      if (!this.listeners.has(name)) await this.open(name, balancer, listenPort);
  }

  private async open(name: string, balancer: LoadBalancerRecord, listenPort: number): Promise<void> {
    const sockets = new Set<Socket>();
    const server = createServer((client) => this.forward(listener, client));
    const listener: Listener = {
      balancerId: balancer.id,
      address: balancer.ipv4,
      listenPort,
      server,
      sockets,
      turn: 0,
    };
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(listenPort, balancer.ipv4, () => resolve());
    }).catch((error: unknown) => {
      throw new Error(`load balancer ${balancer.id} cannot listen on ${balancer.ipv4}:${listenPort}`, {
        cause: error,
      });
    });
    this.listeners.set(name, listener);
  }

  private async close(name: string): Promise<void> {
    const listener = this.listeners.get(name);
    if (listener === undefined) return;
    this.listeners.delete(name);
    for (const socket of listener.sockets) socket.destroy();
    await new Promise<void>((resolve) => listener.server.close(() => resolve()));
  }

  /** The destination addresses of a service right now (none when it was removed meanwhile). */
  private destinations(listener: Listener): { addresses: string[]; port: number } | undefined {
    const balancer = this.project.loadBalancers.get(listener.balancerId);
    const service = balancer?.services.find((s) => s.listen_port === listener.listenPort);
    if (balancer === undefined || service === undefined) return undefined;
    const addresses = balancer.targets.flatMap((target) =>
      target.type === 'ip'
        ? [target.ip]
        : targetServers(this.project, balancer, target).map((server) => server.machine.host.address),
    );
    return { addresses: [...new Set(addresses)], port: service.destination_port };
  }

  private forward(listener: Listener, client: Socket): void {
    listener.sockets.add(client);
    client.once('close', () => listener.sockets.delete(client));
    client.on('error', () => client.destroy());
    client.pause();
    const destinations = this.destinations(listener);
    if (destinations === undefined || destinations.addresses.length === 0) {
      client.destroy();
      return;
    }
    const { addresses, port } = destinations;
    const start = listener.turn++ % addresses.length;
    const order = addresses.map((_, i) => addresses[(start + i) % addresses.length] as string);
    void firstAccepting(order, port).then((upstream) => {
      if (upstream === undefined || client.destroyed) {
        upstream?.destroy();
        client.destroy();
        return;
      }
      listener.sockets.add(upstream);
      upstream.once('close', () => {
        listener.sockets.delete(upstream);
        client.destroy();
      });
      upstream.on('error', () => upstream.destroy());
      client.once('close', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
      client.resume();
    });
  }
}

function key(balancerId: number, listenPort: number): string {
  return `${balancerId}:${listenPort}`;
}

/** The first address (in order) that accepts a TCP connection on `port`. */
async function firstAccepting(addresses: readonly string[], port: number): Promise<Socket | undefined> {
  for (const address of addresses) {
    const socket = await tryConnect(address, port);
    if (socket !== undefined) return socket;
  }
  return undefined;
}

function tryConnect(address: string, port: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: CONNECT_TIMEOUT_MS });
    const fail = (): void => {
      socket.destroy();
      resolve(undefined);
    };
    socket.once('error', fail);
    socket.once('timeout', fail);
    socket.once('connect', () => {
      socket.removeListener('error', fail);
      socket.removeListener('timeout', fail);
      socket.setTimeout(0);
      resolve(socket);
    });
  });
}
