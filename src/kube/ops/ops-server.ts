import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** A named check: true when healthy, or a reason why not. */
export type Check = () => true | string;

export interface OpsServerOptions {
  /** Liveness: the process is not wedged. */
  readonly healthChecks: Readonly<Record<string, Check>>;
  /** Readiness: caches synced and, with leader election, leading. */
  readonly readyChecks: Readonly<Record<string, Check>>;
  /** Served at /metrics when set. */
  readonly registry?: Registry;
}

/** `host:port` as controller-runtime's flags write it (`:8080` = every interface). */
export function parseBindAddress(address: string): { host: string | undefined; port: number } {
  const colon = address.lastIndexOf(':');
  const host = address.slice(0, colon).replace(/^\[|\]$/g, '');
  return { host: host === '' ? undefined : host, port: Number(address.slice(colon + 1)) };
}

function runChecks(checks: Readonly<Record<string, Check>>): { ok: boolean; text: string } {
  const lines: string[] = [];
  let ok = true;
  for (const [name, check] of Object.entries(checks)) {
    let verdict: true | string;
    try {
      verdict = check();
    } catch (error) {
      verdict = error instanceof Error ? error.message : String(error);
    }
    if (verdict !== true) ok = false;
    lines.push(verdict === true ? `[+]${name} ok` : `[-]${name} failed: ${verdict}`);
  }
  lines.push(ok ? 'ok' : 'not ok');
  return { ok, text: `${lines.join('\n')}\n` };
}

/**
 * /healthz, /readyz and /metrics over plain HTTP, answered like the apiserver's own probes
 * (`[+]name ok` lines, 200 or 503). Bind it to what the Deployment's probes and the
 * ServiceMonitor reach.
 */
export class OpsServer {
  private readonly server: Server;

  constructor(private readonly options: OpsServerOptions) {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        response.statusCode = 500;
        response.end(error instanceof Error ? error.message : String(error));
      });
    });
  }

  async listen(address: string): Promise<AddressInfo> {
    const { host, port } = parseBindAddress(address);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.server.address() as AddressInfo;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://ops').pathname;
    const registry = this.options.registry;
    if (request.method !== 'GET' && request.method !== 'HEAD')
      this.reply(response, 405, 'method not allowed\n');
    else if (path === '/healthz' || path === '/livez') this.probe(response, this.options.healthChecks);
    else if (path === '/readyz') this.probe(response, this.options.readyChecks);
    else if (path === '/metrics' && registry)
      this.reply(response, 200, await registry.metrics(), registry.contentType);
    else this.reply(response, 404, 'not found\n');
  }

  private probe(response: ServerResponse, checks: Readonly<Record<string, Check>>): void {
    const { ok, text } = runChecks(checks);
    this.reply(response, ok ? 200 : 503, text);
  }

  private reply(
    response: ServerResponse,
    status: number,
    body: string,
    contentType = 'text/plain; charset=utf-8',
  ): void {
    response.writeHead(status, { 'Content-Type': contentType, 'Cache-Control': 'no-store' });
    response.end(body);
  }
}
