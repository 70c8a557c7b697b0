import type { ActionRecord } from '../action-book.js';
import { CloudErrorResponse } from '../cloud-error-response.js';
import type { CloudProject } from '../cloud-project.js';
import type { CloudContext, CloudRoute } from '../cloud-route.js';
import { recordOf } from '../cloud-route.js';
import { actionList } from './actions.js';

export type ResourceAction<T> = (context: CloudContext, record: T) => ActionRecord;

export interface ResourceActionSpec<T> {
  /** The collection path, e.g. `/networks`. */
  readonly path: string;
  /** The action resource type, e.g. `load_balancer`. */
  readonly type: string;
  readonly records: (project: CloudProject) => ReadonlyMap<number, T>;
  /** `POST {path}/{id}/actions/<name>`: each answers 201 `{action}`. */
  readonly actions: Readonly<Record<string, ResourceAction<T>>>;
}

/**
 * A resource kind's action endpoints (docs.hetzner.cloud): the kind-wide list and lookup, the
 * per-resource list and lookup, and the POSTs. Register before `{path}/:id`, which would take
 * `{path}/actions` otherwise.
 */
export function resourceActionRoutes<T>(spec: ResourceActionSpec<T>): CloudRoute[] {
  const what = spec.type.replaceAll('_', ' ');
  const ofKind = (project: CloudProject): ActionRecord[] =>
    [...project.actions.all()].filter((a) => a.resources.some((r) => r.type === spec.type));
  const ofRecord = (context: CloudContext): ActionRecord[] => {
    recordOf(spec.records(context.project), context.params.id, what);
    const id = Number(context.params.id);
    return ofKind(context.project).filter((a) =>
      a.resources.some((r) => r.type === spec.type && r.id === id),
    );
  };
  const one = (context: CloudContext, actions: readonly ActionRecord[]): Record<string, unknown> => {
    const action = actions.find((a) => String(a.id) === context.params.actionId);
    if (action === undefined) throw CloudErrorResponse.notFound('action');
    return { action: context.project.actions.render(action) };
  };
  return [
    { method: 'GET', path: `${spec.path}/actions`, handler: (c) => actionList(c, ofKind(c.project)) },
    {
      method: 'GET',
      path: `${spec.path}/actions/:actionId`,
      handler: (c) => ({ status: 200, body: one(c, ofKind(c.project)) }),
    },
    {
      method: 'POST',
      path: `${spec.path}/:id/actions/:action`,
      handler: (context) => {
        const record = recordOf(spec.records(context.project), context.params.id, what);
        const run = spec.actions[context.params.action ?? ''];
        if (run === undefined || !Object.hasOwn(spec.actions, context.params.action ?? ''))
          throw CloudErrorResponse.notFound('action');
        return { status: 201, body: { action: context.project.actions.render(run(context, record)) } };
      },
    },
    { method: 'GET', path: `${spec.path}/:id/actions`, handler: (c) => actionList(c, ofRecord(c)) },
    {
      method: 'GET',
      path: `${spec.path}/:id/actions/:actionId`,
      handler: (c) => ({ status: 200, body: one(c, ofRecord(c)) }),
    },
  ];
}
