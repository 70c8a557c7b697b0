import { request } from 'node:https';

/** How a client proves who it is: a client certificate, a bearer token, or nothing (anonymous). */
export type KubeCredentials =
  | { readonly certPem: string; readonly keyPem: string }
  | { readonly token: string }
  | { readonly anonymous: true };

export interface KubeRestOptions {
  /** `https://host:port` */
  readonly server: string;
  /** The CA the server's certificate must chain to; `insecure` only for kubeadm's discovery step. */
  readonly trust: { readonly caPem: string } | { readonly insecure: true };
  readonly credentials: KubeCredentials;
}

export interface KubeReply {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** A failed request; the message names method, path and status, never a credential. */
export class KubeRequestError extends Error {
  readonly code = 'WORKLOAD_API_REQUEST_FAILED';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const TIMEOUT_MS = 10_000;

/** The few REST calls a kubelet, kubeadm and a cloud controller make, over HTTPS with JSON. */
export class KubeRest {
  constructor(readonly options: KubeRestOptions) {}

  get(path: string): Promise<KubeReply> {
    return this.send('GET', path);
  }

  post(path: string, body: unknown): Promise<KubeReply> {
    return this.send('POST', path, body);
  }

  put(path: string, body: unknown): Promise<KubeReply> {
    return this.send('PUT', path, body);
  }

  /** A strategic merge patch (lists such as conditions merge by their key). */
  patch(path: string, body: unknown, type = 'application/strategic-merge-patch+json'): Promise<KubeReply> {
    return this.send('PATCH', path, body, type);
  }

  /** Like `send`, but a status outside 2xx (and `allowed`) rejects with KubeRequestError. */
  async expect(reply: Promise<KubeReply>, what: string, allowed: readonly number[] = []): Promise<KubeReply> {
    const result = await reply;
    if ((result.status >= 200 && result.status < 300) || allowed.includes(result.status)) return result;
    const message = typeof result.body.message === 'string' ? result.body.message : '';
    throw new KubeRequestError(result.status, `${what}: HTTP ${result.status} ${message}`.slice(0, 400));
  }

  send(method: string, path: string, body?: unknown, type = 'application/json'): Promise<KubeReply> {
    const url = new URL(path, this.options.server);
    const { trust, credentials } = this.options;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload) Object.assign(headers, { 'content-type': type, 'content-length': String(payload.length) });
    if ('token' in credentials) headers.authorization = `Bearer ${credentials.token}`;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          headers,
          timeout: TIMEOUT_MS,
          agent: false,
          ...('caPem' in trust ? { ca: trust.caPem } : { rejectUnauthorized: false }),
          ...('certPem' in credentials ? { cert: credentials.certPem, key: credentials.keyPem } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parse(Buffer.concat(chunks)) }));
          res.on('error', reject);
        },
      );
      req.once('timeout', () => req.destroy(new Error(`${method} ${url.pathname} timed out`)));
      req.once('error', reject);
      req.end(payload);
    });
  }
}

function parse(data: Buffer): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(data.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
