import { CloudErrorResponse } from './cloud-error-response.js';
import type { ServerRecord } from './server-record.js';
import { timestamp } from './time.js';

/** A placement group (docs.hetzner.cloud, "Placement Groups"); `spread` is the only type. */
export interface PlacementGroupRecord {
  readonly id: number;
  name: string;
  readonly type: 'spread';
  labels: Record<string, string>;
  readonly created: Date;
}

/** Servers per spread group (docs.hetzner.com, "Placement groups": limits). */
export const spreadGroupServerLimit = 10;

/** The group's members: servers are the source of truth, so a deleted server leaves at once. */
export function groupMembers(group: PlacementGroupRecord, servers: Iterable<ServerRecord>): number[] {
  return [...servers].filter((server) => server.placementGroupId === group.id).map((server) => server.id);
}

/**
 * A spread group takes 10 servers; one more is refused with the code and message the API
 * answers today (seen in hcloud clients' reports). The status is not documented; 422 is what
 * the API's other placement rules (`placement_error`) use.
 */
export function assertGroupHasRoom(group: PlacementGroupRecord, servers: Iterable<ServerRecord>): void {
  if (groupMembers(group, servers).length < spreadGroupServerLimit) return;
  throw CloudErrorResponse.unprocessable(
    'placement_group_member_limit_reached',
    `placement group with ID ${group.id} contains already ${spreadGroupServerLimit} servers`,
  );
}

export function renderPlacementGroup(
  group: PlacementGroupRecord,
  servers: Iterable<ServerRecord>,
): Record<string, unknown> {
  return {
    id: group.id,
    name: group.name,
    labels: { ...group.labels },
    type: group.type,
    created: timestamp(group.created),
    servers: groupMembers(group, servers),
  };
}
