import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type BlobFault = 'none' | 'cut-once' | 'truncate' | 'corrupt' | 'stall-once' | 'stall';

export interface FaultProxy {
  /** `127.0.0.1:port`, to use as the registry host in image URLs. */
  readonly host: string;
  /** What happens to the next blob downloads. */
  fault: BlobFault;
  /** Blob GETs seen, with their Range headers. */
  readonly blobRequests: (string | undefined)[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of a registry for tests of network failures: it can cut a blob
 * download once after 1 MiB (the client must resume), cut every blob response after 1 MiB
 * (`truncate`: the source never delivers the whole blob), flip one byte of it (the client must
 * notice), or stop sending after 1 MiB while keeping the connection open, once (`stall-once`) or
 * every time (`stall`). Everything else passes through unchanged.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const proxy: FaultProxy = {
    host: '',
    fault: 'none',
    blobRequests: [],
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // stalled downloads hold theirs open
      }),
  };
  const server: Server = createServer((incoming, outgoing) =>
    forward(proxy, new URL(target), incoming, outgoing),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (proxy as { host: string }).host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on('connection', (socket) => server.once('close', () => socket.destroy()));
  return proxy;
}

function forward(proxy: FaultProxy, target: URL, incoming: IncomingMessage, outgoing: ServerResponse): void {
  const blob = incoming.method === 'GET' && /\/blobs\/sha256:/.test(incoming.url ?? '');
  if (blob) proxy.blobRequests.push(incoming.headers.range);
  const upstream = request(
    {
      host: target.hostname,
      port: target.port,
      method: incoming.method,
      path: incoming.url,
      headers: { ...incoming.headers, host: target.host },
    },
    (response) => {
      outgoing.writeHead(response.statusCode ?? 502, response.headers);
      if (blob && proxy.fault !== 'none') faulty(proxy, response, outgoing);
      else response.pipe(outgoing);
    },
  );
  upstream.on('error', () => outgoing.destroy());
  incoming.pipe(upstream);
}

function faulty(proxy: FaultProxy, response: IncomingMessage, outgoing: ServerResponse): void {
  const fault = proxy.fault;
  if (fault === 'cut-once' || fault === 'stall-once') proxy.fault = 'none';
  let sent = 0;
  // When the client gives up on a stalled download, the upstream response goes too.
  outgoing.on('close', () => response.destroy());
  response.on('data', (chunk: Buffer) => {
    if ((fault === 'stall-once' || fault === 'stall') && sent + chunk.length > 1024 * 1024) {
      outgoing.write(chunk.subarray(0, 1024 * 1024 - sent));
      sent = 1024 * 1024;
      response.pause(); // nothing more, and the connection stays open
      response.removeAllListeners('data');
      return;
    }
    if ((fault === 'cut-once' || fault === 'truncate') && sent + chunk.length > 1024 * 1024) {
      outgoing.write(chunk.subarray(0, 1024 * 1024 - sent));
      outgoing.destroy();
      response.destroy();
      return;
    }
    if (fault === 'corrupt' && sent <= 4096 && sent + chunk.length > 4096)
      chunk.writeUInt8(chunk.readUInt8(4096 - sent) ^ 0xff, 4096 - sent);
    sent += chunk.length;
    outgoing.write(chunk);
  });
  response.on('end', () => outgoing.end());
}
