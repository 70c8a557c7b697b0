import { servedUnlessCut } from '../faults/connection-cut.js';
import type { FaultBook } from '../faults/fault-book.js';
import { adminPrefix, handleAdmin } from '../http/admin-api.js';
import type { SimRequest, SimResponse } from '../http/http-server.js';
import type { RequestLog } from '../http/request-log.js';
import { Router } from '../http/router.js';
import { parseForm } from './form-body.js';
import type { RobotAuth } from './robot-auth.js';
import { RobotErrorResponse } from './robot-error-response.js';
import type { RobotLimits } from './robot-limits.js';
import type { RobotContext, RobotReply, RobotRoute } from './robot-route.js';
import { bootRoutes } from './routes/boot.js';
import { keyRoutes } from './routes/keys.js';
import { resetRoutes } from './routes/reset.js';
import { serverRoutes } from './routes/servers.js';

export interface RobotApiOptions {
  readonly auth: RobotAuth;
  readonly limits: RobotLimits;
  readonly adminToken: string;
  readonly faults: FaultBook;
  readonly log: RequestLog;
  readonly views: Readonly<Record<string, () => unknown>>;
  readonly context: Omit<RobotContext, 'params' | 'form'>;
}

/**
 * The Robot webservice over HTTP (robot.hetzner.com/doc/webservice/en.html): Basic auth, form bodies, wrapper
 * keys, the `{error:{status,code,message}}` envelope, per-endpoint hourly limits.
 */
export class RobotApi {
  private readonly router = new Router<RobotRoute>();

  constructor(private readonly options: RobotApiOptions) {
    // `/boot/:id/rescue/last` must not be taken for a key or server path; patterns differ in length.
    for (const route of [...serverRoutes, ...bootRoutes, ...resetRoutes, ...keyRoutes])
      this.router.add(route.method, route.path, route);
    // hrobot-go validates credentials with `GET /`; the real answer is undocumented (a gap),
    // so the simulator answers what such a check needs: authenticated, 200.
    this.router.add('GET', '/', {
      method: 'GET',
      path: '/',
      limit: undefined,
      handler: () => ({ status: 200, body: {} }),
    });
  }

  async handle(request: SimRequest): Promise<SimResponse> {
    const path = request.url.pathname;
    if (path === adminPrefix || path.startsWith(`${adminPrefix}/`))
      return handleAdmin(request, {
        token: this.options.adminToken,
        log: this.options.log,
        faults: this.options.faults,
        views: this.options.views,
      });
    const started = performance.now();
    const match = this.router.match(request.method, path);
    const endpoint = `${request.method} ${match.kind === 'found' ? match.pattern : path}`;
    const cut = this.options.faults.forConnection(request.method, endpoint.split(' ')[1] ?? '', path);
    // A cut request is logged with status 0: it was not answered.
    const reply = await servedUnlessCut<RobotReply>(cut, { status: 0, body: undefined }, () =>
      this.serve(request, endpoint).catch((error: unknown) => failure(error, this.options.context.onError)),
    );
    const server = match.kind === 'found' ? match.params.id : undefined;
    this.options.log.record({
      at: new Date().toISOString(),
      method: request.method,
      path: path + request.url.search,
      endpoint,
      status: reply.status,
      ...(server === undefined ? {} : { server }),
      durationMs: Math.round(performance.now() - started),
    });
    if (cut !== undefined) return { status: 0, reset: true };
    return reply.body === undefined ? { status: reply.status } : { status: reply.status, body: reply.body };
  }

  private async serve(request: SimRequest, endpoint: string): Promise<RobotReply> {
    const match = this.router.match(request.method, request.url.pathname);
    const fault = this.options.faults.forRequest(
      request.method,
      endpoint.split(' ')[1] ?? '',
      request.url.pathname,
    );
    if (fault)
      throw new RobotErrorResponse(
        fault.status,
        fault.code ?? 'INTERNAL_ERROR',
        fault.message ?? 'injected fault',
      );
    this.options.auth.check(request.headers.authorization, request.remoteAddress);
    if (match.kind === 'not-found') throw new RobotErrorResponse(404, 'NOT_FOUND', 'Not found');
    if (match.kind === 'method-not-allowed')
      throw new RobotErrorResponse(405, 'METHOD_NOT_ALLOWED', 'Method not allowed');
    if (match.handler.limit) this.options.limits.take(match.handler.limit);
    const form = parseForm(request.body, request.headers['content-type']);
    return match.handler.handler({ ...this.options.context, params: match.params, form });
  }
}

function failure(error: unknown, onError: (error: unknown) => void): RobotReply {
  if (error instanceof RobotErrorResponse) return { status: error.status, body: error.envelope() };
  onError(error);
  return { status: 500, body: new RobotErrorResponse(500, 'INTERNAL_ERROR', 'internal error').envelope() };
}
