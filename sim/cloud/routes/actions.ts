import type { ActionRecord } from '../action-book.js';
import { CloudErrorResponse } from '../cloud-error-response.js';
import type { CloudContext, CloudReply, CloudRoute } from '../cloud-route.js';
import { listResponse } from '../list-query.js';

const statusOrder = { running: 0, success: 1, error: 2 } as const;

/** A paginated `{actions, meta}` list with the action filters and sort fields of A6. */
export function actionList(context: CloudContext, actions: readonly ActionRecord[]): CloudReply {
  const list = listResponse(
    actions,
    context.url.searchParams,
    {
      key: 'actions',
      sortFields: {
        id: (a) => a.id,
        command: (a) => a.command,
        status: (a) => statusOrder[a.status],
        started: (a) => a.started.getTime(),
        finished: (a) => a.finished?.getTime() ?? Number.MAX_SAFE_INTEGER,
      },
      filters: {
        id: (a, ids) => ids.includes(String(a.id)),
        status: (a, statuses) => statuses.includes(a.status),
      },
      render: (a) => context.project.actions.render(a),
    },
    context.url,
  );
  return { status: 200, body: list.body, headers: { Link: list.link } };
}

/**
 * `GET /actions?id=…` (listing all project actions was removed in 2025, so `id` is required)
 * and `GET /actions/{id}`; both find actions of servers that were deleted since.
 */
export const actionRoutes: readonly CloudRoute[] = [
  {
    method: 'GET',
    path: '/actions',
    handler: (context) => {
      if (context.url.searchParams.getAll('id').length === 0)
        throw CloudErrorResponse.invalidInput("invalid input in field 'id'", [
          { name: 'id', messages: ['is required'] },
        ]);
      return actionList(context, [...context.project.actions.all()]);
    },
  },
  {
    method: 'GET',
    path: '/actions/:actionId',
    handler: (context) => {
      const action = context.project.actions.get(Number(context.params.actionId));
      if (action === undefined) throw CloudErrorResponse.notFound('action');
      return { status: 200, body: { action: context.project.actions.render(action) } };
    },
  },
];
