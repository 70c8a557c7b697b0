import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the simulators see it: the raw body is kept, each API parses it its own way. */
export interface SimRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly remoteAddress: string;
}

export interface SimResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Serialised as JSON; `undefined` sends no body (e.g. 204). */
  readonly body?: unknown;
  /** Reset the connection instead of answering (an injected fault: the client sees ECONNRESET). */
  readonly reset?: boolean;
}

export type SimHandler = (request: SimRequest) => Promise<SimResponse>;

export interface RunningHttpServer {
  /** `http://address:port`, no trailing slash. */
  readonly url: string;
  close(): Promise<void>;
}

/** Bodies larger than this are refused; the real APIs take small JSON or form bodies only. */
const maxBodyBytes = 1024 * 1024;

/** Serves `handle` over real HTTP on `address:port` (port 0 picks a free one). */
export async function startHttpServer(
  address: string,
  port: number,
  handle: SimHandler,
): Promise<RunningHttpServer> {
  const server = createServer((req, res) => {
    void serve(req, res, handle);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, resolve);
  });
  const bound = server.address() as AddressInfo;
  return {
    url: `http://${address}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, handle: SimHandler): Promise<void> {
  try {
    const body = await readBody(req);
    const response = await handle({
      method: req.method ?? 'GET',
      url: new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`),
      headers: req.headers,
      body,
      remoteAddress: req.socket.remoteAddress ?? '',
    });
    writeResponse(res, response);
  } catch (error) {
    // Handlers turn every expected failure into a response; this is a simulator bug.
    writeResponse(res, {
      status: 500,
      body: { error: { code: 'server_error', message: `simulator failure: ${String(error)}` } },
    });
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new Error(`request body larger than ${maxBodyBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function writeResponse(res: ServerResponse, response: SimResponse): void {
  if (res.headersSent) return;
  if (response.reset === true) {
    res.socket?.resetAndDestroy();
    return;
  }
  const payload = response.body === undefined ? undefined : `${JSON.stringify(response.body)}\n`;
  const headers: Record<string, string> = { ...response.headers };
  if (payload !== undefined) headers['Content-Type'] ??= 'application/json';
  res.writeHead(response.status, headers);
  res.end(payload);
}
