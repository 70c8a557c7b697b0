import type { RouteParams } from '../http/router.js';
import type { CloudProject } from './cloud-project.js';
import type { ServerLifecycle } from './server-lifecycle.js';
import { CloudErrorResponse } from './cloud-error-response.js';
import type { ServerRecord } from './server-record.js';

export interface CloudContext {
  readonly project: CloudProject;
  readonly lifecycle: ServerLifecycle;
  readonly params: RouteParams;
  readonly url: URL;
  readonly body: Buffer;
}

export interface CloudReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type CloudHandler = (context: CloudContext) => CloudReply | Promise<CloudReply>;

export interface CloudRoute {
  readonly method: string;
  readonly path: string;
  readonly handler: CloudHandler;
}

/** The record a path's `:id` names, or 404 `not_found` naming `what`. */
export function recordOf<T>(records: ReadonlyMap<number, T>, id: string | undefined, what: string): T {
  const record = /^\d+$/.test(id ?? '') ? records.get(Number(id)) : undefined;
  if (record === undefined) throw CloudErrorResponse.notFound(what);
  return record;
}

/** The server a path's `:id` names, or 404 `not_found`. */
export function serverOf(context: CloudContext): ServerRecord {
  const server = context.project.findServer(context.params.id ?? '');
  if (server === undefined) throw CloudErrorResponse.notFound('server');
  return server;
}
