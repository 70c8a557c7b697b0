import { randomBytes, timingSafeEqual } from 'node:crypto';
import { servedUnlessCut } from '../faults/connection-cut.js';
import type { FaultBook } from '../faults/fault-book.js';
import { adminPrefix, handleAdmin } from '../http/admin-api.js';
import type { SimRequest, SimResponse } from '../http/http-server.js';
import type { RequestLog } from '../http/request-log.js';
import { Router, type RouteMatch } from '../http/router.js';
import { CloudErrorResponse } from './cloud-error-response.js';
import type { CloudProject } from './cloud-project.js';
import type { CloudHandler, CloudReply } from './cloud-route.js';
import type { RateLimiter } from './rate-limiter.js';
import { actionRoutes } from './routes/actions.js';
import { catalogRoutes } from './routes/catalog.js';
import { imageRoutes } from './routes/images.js';
import { loadBalancerActionRoutes } from './routes/load-balancer-actions.js';
import { loadBalancerRoutes } from './routes/load-balancers.js';
import { networkActionRoutes } from './routes/network-actions.js';
import { networkRoutes } from './routes/networks.js';
import { placementGroupRoutes } from './routes/placement-groups.js';
import { serverActionRoutes } from './routes/server-actions.js';
import { serverRoutes } from './routes/servers.js';
import { sshKeyRoutes } from './routes/ssh-keys.js';
import { ServerLifecycle } from './server-lifecycle.js';

export interface CloudApiOptions {
  readonly token: string;
  readonly adminToken: string;
  readonly project: CloudProject;
  readonly rateLimiter: RateLimiter;
  readonly faults: FaultBook;
  readonly log: RequestLog;
  readonly views: Readonly<Record<string, () => unknown>>;
  readonly onError: (error: unknown) => void;
}

const apiPrefix = '/v1';

/**
 * The Hetzner Cloud API over HTTP (docs.hetzner.cloud): rate limit and correlation headers
 * on every response, Bearer auth, routing, the JSON error envelope, and the request log.
 */
export class CloudApi {
  private readonly router = new Router<CloudHandler>();
  private readonly lifecycle: ServerLifecycle;

  constructor(private readonly options: CloudApiOptions) {
    this.lifecycle = new ServerLifecycle(options.project);
    // /<kind>/actions must come before /<kind>/:id, which would otherwise take it.
    for (const route of [
      ...serverActionRoutes,
      ...serverRoutes,
      ...actionRoutes,
      ...sshKeyRoutes,
      ...placementGroupRoutes,
      ...networkActionRoutes,
      ...networkRoutes,
      ...loadBalancerActionRoutes,
      ...loadBalancerRoutes,
      ...catalogRoutes,
      ...imageRoutes,
    ])
      this.router.add(route.method, route.path, route.handler);
  }

  async handle(request: SimRequest): Promise<SimResponse> {
    const path = request.url.pathname;
    if (path !== adminPrefix && !path.startsWith(`${adminPrefix}/`)) return this.handleApi(request);
    return handleAdmin(request, {
      token: this.options.adminToken,
      log: this.options.log,
      faults: this.options.faults,
      views: this.options.views,
    });
  }

  private async handleApi(request: SimRequest): Promise<SimResponse> {
    const started = performance.now();
    const token = bearerToken(request);
    const limit = this.options.rateLimiter.take(token ?? `address ${request.remoteAddress}`);
    const path = request.url.pathname.startsWith(`${apiPrefix}/`)
      ? request.url.pathname.slice(apiPrefix.length)
      : undefined;
    const match: RouteMatch<CloudHandler> =
      path === undefined ? { kind: 'not-found' } : this.router.match(request.method, path);
    const endpoint = `${request.method} ${match.kind === 'found' ? apiPrefix + match.pattern : request.url.pathname}`;
    const pattern = endpoint.slice(request.method.length + 1);
    const cut = this.options.faults.forConnection(request.method, pattern, request.url.pathname);
    // A cut request is logged with status 0: it was not answered.
    const reply = await servedUnlessCut<CloudReply>(cut, { status: 0 }, () =>
      this.serve(request, match, limit.allowed, token).catch((error: unknown) => this.failure(error)),
    );
    const server = match.kind === 'found' ? this.serverOf(match.params, request.url) : undefined;
    this.options.log.record({
      at: new Date().toISOString(),
      method: request.method,
      path: request.url.pathname + request.url.search,
      endpoint,
      status: reply.status,
      ...(server === undefined ? {} : { server }),
      durationMs: Math.round(performance.now() - started),
    });
    const rateHeaders =
      reply.status === 429 ? { ...limit.headers, 'RateLimit-Remaining': '0' } : limit.headers;
    if (cut !== undefined) return { status: 0, reset: true };
    return {
      status: reply.status,
      headers: { ...rateHeaders, 'X-Correlation-Id': randomBytes(8).toString('hex'), ...reply.headers },
      ...(reply.body === undefined ? {} : { body: reply.body }),
    };
  }

  private async serve(
    request: SimRequest,
    match: RouteMatch<CloudHandler>,
    allowed: boolean,
    token: string | undefined,
  ): Promise<CloudReply> {
    if (!allowed)
      throw new CloudErrorResponse(429, 'rate_limit_exceeded', 'limit of requests per hour reached');
    const pattern = match.kind === 'found' ? apiPrefix + match.pattern : request.url.pathname;
    const fault = this.options.faults.forRequest(request.method, pattern, request.url.pathname);
    if (fault)
      throw new CloudErrorResponse(
        fault.status,
        fault.code ?? defaultCode(fault.status),
        fault.message ?? 'injected fault',
      );
    if (token === undefined || !sameSecret(token, this.options.token))
      throw new CloudErrorResponse(401, 'unauthorized', 'unable to authenticate');
    if (match.kind === 'not-found') throw CloudErrorResponse.notFound();
    if (match.kind === 'method-not-allowed')
      throw new CloudErrorResponse(405, 'method_not_allowed', 'method not allowed');
    return match.handler({
      project: this.options.project,
      lifecycle: this.lifecycle,
      params: match.params,
      url: request.url,
      body: request.body,
    });
  }

  private failure(error: unknown): CloudReply {
    if (error instanceof CloudErrorResponse) return { status: error.status, body: error.envelope() };
    this.options.onError(error);
    return {
      status: 500,
      body: new CloudErrorResponse(500, 'server_error', 'internal server error').envelope(),
    };
  }

  /** The server a request concerns, for the per-server counters: by path, or by the polled actions. */
  private serverOf(params: Readonly<Record<string, string>>, url: URL): string | undefined {
    if (url.pathname.startsWith(`${apiPrefix}/servers/`) && params.id !== undefined) return params.id;
    const actionIds = params.actionId !== undefined ? [params.actionId] : url.searchParams.getAll('id');
    if (!url.pathname.includes('actions')) return undefined;
    for (const id of actionIds) {
      const resource = this.options.project.actions
        .get(Number(id))
        ?.resources.find((r) => r.type === 'server');
      if (resource) return String(resource.id);
    }
    return undefined;
  }
}

const codesByStatus: Readonly<Record<number, string>> = {
  400: 'json_error',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  412: 'resource_unavailable',
  422: 'invalid_input',
  423: 'locked',
  429: 'rate_limit_exceeded',
  500: 'server_error',
  502: 'bad_gateway',
  503: 'unavailable',
  504: 'timeout',
};

function defaultCode(status: number): string {
  return codesByStatus[status] ?? 'unknown_error';
}

function bearerToken(request: SimRequest): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}

function sameSecret(given: string, wanted: string): boolean {
  const [a, b] = [Buffer.from(given), Buffer.from(wanted)];
  return a.length === b.length && timingSafeEqual(a, b);
}
