import type { CloudPlacementGroup } from '../../ports/cloud-placement-groups.js';
import { infraChecks } from './infra-checks.js';
import { labelSelector, placementGroupName, placementGroupSpecName } from './infra-naming.js';
import type { StepInput, StepOutcome } from './infra-types.js';

/**
 * CAPH's placement group service: one group per `spec.hcloudPlacementGroups` entry, named
 * `<cluster>-<name>` and labelled as the cluster's from its creation; groups of the cluster no
 * longer in the spec are deleted once empty (CAPH deletes them under running servers).
 * `status.hcloudPlacementGroups` lists them by spec name, as CAPH's.
 */
export async function reconcilePlacementGroups(input: StepInput): Promise<StepOutcome> {
  const { object, cloud } = input;
  const desired = object.spec.hcloudPlacementGroups ?? [];
  const selector = labelSelector(input.owner);
  const existing = [...(await cloud.placementGroups.listPlacementGroups({ labelSelector: selector }))];
  const specName = (group: CloudPlacementGroup): string => placementGroupSpecName(object, group.name);
  for (const group of desired) {
    if (existing.some((found) => specName(found) === group.name)) continue;
    const name = placementGroupName(object, group.name);
    const created = await cloud.placementGroups.createPlacementGroup({
      name,
      type: group.type,
      labels: input.owner,
    });
    existing.push(created);
    input.event({
      type: 'Normal',
      reason: 'PlacementGroupCreated',
      note: `Created placement group ${name} (ID ${created.id})`,
    });
  }
  const wanted = new Set(desired.map((group) => group.name));
  for (const group of existing.filter(
    (found) => !wanted.has(specName(found)) && found.servers.length === 0,
  )) {
    await cloud.placementGroups.deletePlacementGroup({ placementGroupId: group.id });
    input.event({
      type: 'Normal',
      reason: 'PlacementGroupDeleted',
      note: `Deleted placement group ${group.name}`,
    });
  }
  input.status.hcloudPlacementGroups = existing
    .filter((group) => wanted.has(specName(group)))
    .map((group) => ({ id: group.id, name: specName(group), type: group.type, servers: [...group.servers] }));
  if (desired.length === 0 && existing.length === 0) return {};
  return { check: infraChecks.placementGroupsSynced() };
}
