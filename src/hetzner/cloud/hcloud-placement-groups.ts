import type {
  CloudPlacementGroup,
  CloudPlacementGroups,
  CreatePlacementGroupInput,
} from '../../ports/cloud-placement-groups.js';
import { toCloudPlacementGroup } from './cluster-wire-mapping.js';
import {
  placementGroupEnvelopeSchema,
  placementGroupListSchema,
  type WirePlacementGroup,
} from './cluster-wire-schemas.js';
import { deleteResource } from './delete-resource.js';
import type { HcloudTransport } from './hcloud-transport.js';
import { listAllPages } from './paged-list.js';
import { parseAnswer } from './wire-mapping.js';

/** The `CloudPlacementGroups` port over `/placement_groups` (docs.hetzner.cloud, "Placement Groups"). */
export class HcloudPlacementGroups implements CloudPlacementGroups {
  constructor(private readonly transport: HcloudTransport) {}

  async listPlacementGroups(input: {
    readonly labelSelector: string;
  }): Promise<readonly CloudPlacementGroup[]> {
    type Page = { placement_groups: WirePlacementGroup[] };
    const groups = await listAllPages<Page, WirePlacementGroup>(this.transport, {
      operation: 'listPlacementGroups',
      path: '/placement_groups',
      query: { label_selector: input.labelSelector },
      page: placementGroupListSchema,
      items: (page) => page.placement_groups,
    });
    return groups.map(toCloudPlacementGroup);
  }

  async createPlacementGroup(input: CreatePlacementGroupInput): Promise<CloudPlacementGroup> {
    const operation = 'createPlacementGroup';
    const body = await this.transport.request({
      operation,
      method: 'POST',
      path: '/placement_groups',
      body: { name: input.name, type: input.type, labels: { ...input.labels } },
    });
    return toCloudPlacementGroup(parseAnswer(placementGroupEnvelopeSchema, body, operation).placement_group);
  }

  deletePlacementGroup(input: { readonly placementGroupId: number }): Promise<{ readonly deleted: boolean }> {
    return deleteResource(
      this.transport,
      'deletePlacementGroup',
      `/placement_groups/${input.placementGroupId}`,
    );
  }
}
