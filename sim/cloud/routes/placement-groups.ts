import { CloudErrorResponse } from '../cloud-error-response.js';
import { jsonBody, labels, optionalString, requiredString } from '../cloud-input.js';
import type { CloudContext, CloudRoute } from '../cloud-route.js';
import { recordOf } from '../cloud-route.js';
import { listResponse } from '../list-query.js';
import { renderPlacementGroup, type PlacementGroupRecord } from '../placement-group-record.js';

function groupOf(context: CloudContext): PlacementGroupRecord {
  return recordOf(context.project.placementGroups, context.params.id, 'placement group');
}

function render(context: CloudContext, group: PlacementGroupRecord): Record<string, unknown> {
  return renderPlacementGroup(group, context.project.servers.values());
}

function assertNameFree(context: CloudContext, name: string, except?: number): void {
  for (const group of context.project.placementGroups.values())
    if (group.name === name && group.id !== except)
      throw CloudErrorResponse.uniqueness('name', 'name is already used');
}

/**
 * `/placement_groups` (docs.hetzner.cloud, "Placement Groups"): create answers 201 with
 * `action: null` (nothing runs), DELETE 204; members are servers created with the group.
 */
export const placementGroupRoutes: readonly CloudRoute[] = [
  {
    method: 'GET',
    path: '/placement_groups',
    handler: (context) => {
      const { url } = context;
      const list = listResponse(
        context.project.placementGroups.values(),
        url.searchParams,
        {
          key: 'placement_groups',
          sortFields: { id: (g) => g.id, name: (g) => g.name, created: (g) => g.created.getTime() },
          filters: { type: (g, values) => values.includes(g.type) },
          render: (g) => render(context, g),
        },
        url,
      );
      return { status: 200, body: list.body, headers: { Link: list.link } };
    },
  },
  {
    method: 'POST',
    path: '/placement_groups',
    handler: (context) => {
      const body = jsonBody(context.body);
      const name = requiredString(body, 'name');
      const type = requiredString(body, 'type');
      if (type !== 'spread') throw CloudErrorResponse.invalidField('type', 'allowed: spread');
      const groupLabels = labels(body) ?? {};
      assertNameFree(context, name);
      const group: PlacementGroupRecord = {
        id: context.project.nextId(),
        name,
        type,
        labels: groupLabels,
        created: new Date(),
      };
      context.project.placementGroups.set(group.id, group);
      return { status: 201, body: { placement_group: render(context, group), action: null } };
    },
  },
  {
    method: 'GET',
    path: '/placement_groups/:id',
    handler: (context) => ({ status: 200, body: { placement_group: render(context, groupOf(context)) } }),
  },
  {
    method: 'PUT',
    path: '/placement_groups/:id',
    handler: (context) => {
      const group = groupOf(context);
      const body = jsonBody(context.body);
      const name = optionalString(body, 'name');
      const newLabels = labels(body);
      if (name !== undefined) {
        if (name === '') throw CloudErrorResponse.invalidField('name', 'must not be empty');
        assertNameFree(context, name, group.id);
        group.name = name;
      }
      if (newLabels !== undefined) group.labels = newLabels;
      return { status: 200, body: { placement_group: render(context, group) } };
    },
  },
  {
    method: 'DELETE',
    path: '/placement_groups/:id',
    handler: (context) => {
      const group = groupOf(context);
      // Members stay where they run; they are no longer in a group.
      for (const server of context.project.servers.values())
        if (server.placementGroupId === group.id) server.placementGroupId = undefined;
      context.project.placementGroups.delete(group.id);
      return { status: 204 };
    },
  },
];
