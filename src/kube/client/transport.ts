import { Agent as HttpAgent, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../config/errors.js';
import { KubeApiError } from './errors.js';
import { asKubeError, errorFromResponse, exchange, guard, readBody } from './http-exchange.js';

export type KubeMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface KubeRequest {
  readonly method: KubeMethod;
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** Default application/json; patches name their strategy here. */
  readonly contentType?: string;
  /** Whole request for json(), until the response headers for stream(); default requestTimeoutMs. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface TransportOptions {
  /** Default 30 s: a hung apiserver must not hang a reconcile forever. */
  readonly requestTimeoutMs?: number;
  readonly userAgent?: string;
  /** Concurrent connections for ordinary requests (watches have their own). Default 32. */
  readonly maxSockets?: number;
  /** How long credentials (bearer tokens from files or exec plugins) are reused. Default 60 s. */
  readonly credentialRefreshMs?: number;
}

interface Prepared {
  readonly at: number;
  readonly server: URL;
  readonly headers: OutgoingHttpHeaders;
  readonly auth?: string;
  readonly agent: HttpAgent;
  readonly watchAgent: HttpAgent;
}

const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

function tlsOptions(options: RequestOptions): AgentOptions {
  const tls: Record<string, unknown> = {};
  for (const field of TLS_FIELDS) if (options[field] !== undefined) tls[field] = options[field];
  return tls;
}

/**
 * JSON over HTTP(S) to the apiserver. Credentials and TLS material come from a client-node
 * KubeConfig (kubeconfig file, exec plugins, in-cluster token file), but requests are our own:
 * keep-alive connections, a deadline on every request, abort signals, typed errors, and exact
 * control of content types (client-node 1.4.0 picks json-patch for custom-object patches and
 * serializes MicroTime with 3 digits; here bodies are sent as written).
 */
export class KubeTransport {
  private prepared: Prepared | undefined;
  private agents: { agent: HttpAgent; watchAgent: HttpAgent } | undefined;

  constructor(
    private readonly kubeConfig: KubeConfig,
    private readonly options: TransportOptions = {},
  ) {}

  /** The apiserver's base URL. */
  get server(): string {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (!cluster) throw new ConfigError('KUBECONFIG_INVALID', 'the kubeconfig has no current cluster');
    return cluster.server;
  }

  /** Sends a request and parses the JSON answer; non-2xx answers throw KubeApiError. */
  async json<T>(request: KubeRequest): Promise<T> {
    const { url, options, label, body } = await this.build(request, false);
    const sent = exchange(url, options, label, body);
    const limits = guard(sent.request, label, {
      timeoutMs: request.timeoutMs ?? this.options.requestTimeoutMs ?? 30_000,
      ...(request.signal ? { signal: request.signal } : {}),
    });
    try {
      const response = await sent.response;
      if (!isSuccess(response)) throw await errorFromResponse(label, response);
      const text = await readBody(response);
      return parseJson(label, text) as T;
    } catch (error) {
      throw limits.failure() ?? asKubeError(label, error);
    } finally {
      limits.disarm();
    }
  }

  /**
   * Opens a long-lived response (a watch) on its own connection. The deadline covers only the
   * wait for headers; the caller watches the stream itself and ends it with `destroy()`.
   */
  async stream(request: KubeRequest): Promise<IncomingMessage> {
    const { url, options, label, body } = await this.build(request, true);
    const sent = exchange(url, options, label, body);
    const limits = guard(sent.request, label, {
      timeoutMs: request.timeoutMs ?? this.options.requestTimeoutMs ?? 30_000,
    });
    const onAbort = (): void =>
      void sent.request.destroy(new KubeApiError('KUBE_ABORTED', `${label}: aborted`));
    request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await sent.response;
      if (!isSuccess(response)) throw await errorFromResponse(label, response);
      response.once('close', () => request.signal?.removeEventListener('abort', onAbort));
      return response;
    } catch (error) {
      request.signal?.removeEventListener('abort', onAbort);
      throw limits.failure() ?? asKubeError(label, error);
    } finally {
      limits.disarm();
    }
  }

  /** Closes idle keep-alive connections (open watches end when their callers destroy them). */
  close(): void {
    this.agents?.agent.destroy();
    this.agents?.watchAgent.destroy();
    this.agents = undefined;
    this.prepared = undefined;
  }

  private async build(
    request: KubeRequest,
    watch: boolean,
  ): Promise<{ url: URL; options: RequestOptions; label: string; body: string | undefined }> {
    const prepared = await this.prepare();
    const url = new URL(prepared.server.href.replace(/\/$/, '') + request.path);
    for (const [name, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(name, String(value));
    const body = serialize(request.body);
    const options: RequestOptions = {
      method: request.method,
      headers: this.headers(
        prepared,
        body === undefined ? undefined : (request.contentType ?? 'application/json'),
      ),
      agent: watch ? prepared.watchAgent : prepared.agent,
      ...(prepared.auth === undefined ? {} : { auth: prepared.auth }),
    };
    return { url, options, label: `${request.method} ${request.path}`, body };
  }

  private headers(prepared: Prepared, contentType: string | undefined): OutgoingHttpHeaders {
    return {
      ...prepared.headers,
      Accept: 'application/json',
      'User-Agent': this.options.userAgent ?? 'imageurl',
      ...(contentType === undefined ? {} : { 'Content-Type': contentType }),
    };
  }

  private async prepare(): Promise<Prepared> {
    const refreshMs = this.options.credentialRefreshMs ?? 60_000;
    if (this.prepared && Date.now() - this.prepared.at < refreshMs) return this.prepared;
    const server = new URL(this.server);
    const options: RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(options);
    const agents = this.agentsFor(options, server.protocol === 'http:');
    this.prepared = {
      at: Date.now(),
      server,
      headers: { ...(options.headers as OutgoingHttpHeaders | undefined) },
      ...(options.auth ? { auth: options.auth } : {}),
      ...agents,
    };
    return this.prepared;
  }

  /**
   * One keep-alive agent for requests and one for watches (so long watches never starve
   * requests of sockets), built once from the TLS material. A proxy in the kubeconfig keeps
   * client-node's own proxy agent.
   */
  private agentsFor(options: RequestOptions, plain: boolean): { agent: HttpAgent; watchAgent: HttpAgent } {
    if (this.kubeConfig.getCurrentCluster()?.proxyUrl && options.agent instanceof HttpAgent) {
      return { agent: options.agent, watchAgent: options.agent };
    }
    const maxSockets = this.options.maxSockets ?? 32;
    this.agents ??= plain
      ? { agent: new HttpAgent({ keepAlive: true, maxSockets }), watchAgent: new HttpAgent() }
      : {
          agent: new HttpsAgent({ ...tlsOptions(options), keepAlive: true, maxSockets }),
          watchAgent: new HttpsAgent({ ...tlsOptions(options), keepAlive: false }),
        };
    return this.agents;
  }
}

function isSuccess(response: IncomingMessage): boolean {
  const status = response.statusCode ?? 0;
  return status >= 200 && status < 300;
}

function serialize(body: unknown): string | undefined {
  if (body === undefined || typeof body === 'string') return body;
  return JSON.stringify(body);
}

function parseJson(label: string, text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch (error) {
    throw new KubeApiError('KUBE_BAD_RESPONSE', `${label}: the answer is not JSON`, { cause: error });
  }
}
