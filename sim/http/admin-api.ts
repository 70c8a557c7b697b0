import { timingSafeEqual } from 'node:crypto';
import type { FaultBook } from '../faults/fault-book.js';
import { InvalidFaultRulesError } from '../faults/fault-book.js';
import type { RequestLog } from './request-log.js';
import type { SimRequest, SimResponse } from './http-server.js';

export const adminPrefix = '/_sim';

export interface AdminOptions {
  readonly token: string;
  readonly log: RequestLog;
  readonly faults: FaultBook;
  /** Simulator-specific read-only views, e.g. `servers` → GET /_sim/servers. */
  readonly views: Readonly<Record<string, () => unknown>>;
}

/**
 * The simulators' admin path (not part of any Hetzner API, never rate limited or logged):
 * request log and counters, fault rules, and views of simulated machines. Bearer admin token.
 */
export function handleAdmin(request: SimRequest, options: AdminOptions): SimResponse {
  if (!authorised(request, options.token))
    return reply(401, { error: 'admin token required (Authorization: Bearer …)' });
  const path = request.url.pathname.slice(adminPrefix.length);
  const key = `${request.method} ${path}`;
  if (key === 'GET /requests') {
    const limit = Number(request.url.searchParams.get('limit') ?? '1000');
    return reply(200, { requests: options.log.recent(Number.isFinite(limit) ? limit : 1000) });
  }
  if (key === 'GET /counters') return reply(200, options.log.counters());
  if (key === 'DELETE /counters') {
    options.log.reset();
    return { status: 204 };
  }
  if (path === '/faults') return faults(request, options.faults);
  const view = request.method === 'GET' ? options.views[path.slice(1)] : undefined;
  if (view) return reply(200, view());
  return reply(404, { error: `no admin endpoint ${key}` });
}

function faults(request: SimRequest, book: FaultBook): SimResponse {
  if (request.method === 'GET') return reply(200, { faults: book.list() });
  if (request.method === 'DELETE') {
    book.clear();
    return { status: 204 };
  }
  if (request.method !== 'POST') return reply(405, { error: 'GET, POST or DELETE' });
  try {
    const added = book.add(JSON.parse(request.body.toString('utf8')) as unknown);
    return reply(201, { faults: added });
  } catch (error) {
    if (error instanceof InvalidFaultRulesError || error instanceof SyntaxError)
      return reply(400, { error: error.message });
    throw error;
  }
}

function authorised(request: SimRequest, token: string): boolean {
  const given = Buffer.from(request.headers.authorization ?? '');
  const wanted = Buffer.from(`Bearer ${token}`);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function reply(status: number, body: unknown): SimResponse {
  return { status, body };
}
