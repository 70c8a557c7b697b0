import type { CreateServerInput } from '../ports/cloud-servers.js';
import { conditionFalse } from './conditions.js';
import { hcloudReasons } from './reasons.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';

type Placement = Pick<CreateServerInput, 'placementGroupId' | 'networkIds' | 'location' | 'publicNetwork'>;

/**
 * Where the cluster puts the server: its location, public network, placement group and private
 * network, as create fields; or, when `spec.placementGroupName` names a group the HetznerCluster
 * does not have (yet), CAPH's InstanceHasNonExistingPlacementGroup and no server (looked at again
 * later: the cluster may be creating the group).
 */
export function placementOf(ctx: StepContext): { readonly fields: Placement } | StepResult {
  const { input } = ctx;
  const group = input.placementGroup;
  if (group !== undefined && group.id === undefined) {
    const message = `spec.placementGroupName ${JSON.stringify(group.name.slice(0, 63))}: the HetznerCluster has no such placement group (spec.hcloudPlacementGroups)`;
    return {
      kind: 'continue',
      after: ctx.settings.requeue.createNotPossibleMs,
      message,
      changes: {
        conditions: [conditionFalse(hcloudReasons.ServerCreated.PlacementGroupNotFound, message, 'Error')],
      },
    };
  }
  const fields: Placement = {
    ...(input.location === undefined ? {} : { location: input.location }),
    ...(input.publicNetwork === undefined ? {} : { publicNetwork: input.publicNetwork }),
    ...(group?.id === undefined ? {} : { placementGroupId: group.id }),
    ...(input.networkIds === undefined || input.networkIds.length === 0
      ? {}
      : { networkIds: input.networkIds }),
  };
  return { fields };
}
