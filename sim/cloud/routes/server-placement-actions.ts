import { CloudErrorResponse } from '../cloud-error-response.js';
import { jsonBody } from '../cloud-input.js';
import type { CloudContext } from '../cloud-route.js';
import { recordOf } from '../cloud-route.js';
import { assertGroupHasRoom } from '../placement-group-record.js';
import { assertUnlocked, startConfigAction } from '../resource-actions.js';
import type { ServerRecord } from '../server-record.js';

type ServerAction = (context: CloudContext, server: ServerRecord) => Record<string, unknown>;

function assertStopped(server: ServerRecord): void {
  if (server.status !== 'off')
    throw CloudErrorResponse.unprocessable('server_not_stopped', 'server must be stopped (status off)');
}

/**
 * `add_to_placement_group` / `remove_from_placement_group` (docs.hetzner.cloud, "Server
 * Actions"): only for a server that is off; the group keeps its 10-server limit.
 */
export const serverPlacementActions: Readonly<Record<string, ServerAction>> = {
  add_to_placement_group: (context, server) => {
    const body = jsonBody(context.body);
    const id = body.placement_group;
    if (typeof id !== 'number' || !Number.isSafeInteger(id))
      throw CloudErrorResponse.invalidField('placement_group', 'must be a placement group ID');
    const group = recordOf(context.project.placementGroups, String(id), 'placement group');
    assertUnlocked(context.project, { type: 'server', id: server.id });
    assertStopped(server);
    if (server.placementGroupId !== undefined)
      throw CloudErrorResponse.unprocessable(
        'already_in_placement_group',
        'server is already in a placement group',
      );
    assertGroupHasRoom(group, context.project.servers.values());
    server.placementGroupId = group.id;
    const action = startConfigAction(context.project, {
      command: 'add_to_placement_group',
      resources: [
        { id: server.id, type: 'server' },
        { id: group.id, type: 'placement_group' },
      ],
    });
    return { action: context.project.actions.render(action) };
  },
  remove_from_placement_group: (context, server) => {
    assertUnlocked(context.project, { type: 'server', id: server.id });
    assertStopped(server);
    const groupId = server.placementGroupId;
    if (groupId === undefined)
      throw CloudErrorResponse.invalidInput('server is not in a placement group', [
        { name: 'placement_group', messages: ['server is not in a placement group'] },
      ]);
    server.placementGroupId = undefined;
    const action = startConfigAction(context.project, {
      command: 'remove_from_placement_group',
      resources: [
        { id: server.id, type: 'server' },
        { id: groupId, type: 'placement_group' },
      ],
    });
    return { action: context.project.actions.render(action) };
  },
};
