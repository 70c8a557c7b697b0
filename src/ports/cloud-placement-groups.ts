/**
 * The placement groups of one Hetzner Cloud project, as the HetznerCluster reconciler needs them:
 * list the cluster's (by its ownership label), create, delete. Every method rejects with a
 * CloudError (./cloud-errors.ts). The HTTP adapter lives in src/hetzner/cloud/.
 */
export interface CloudPlacementGroups {
  /** Every placement group matching the API's label selector (all pages). */
  listPlacementGroups(input: { readonly labelSelector: string }): Promise<readonly CloudPlacementGroup[]>;
  /** Creates the group with its labels in one call. */
  createPlacementGroup(input: CreatePlacementGroupInput): Promise<CloudPlacementGroup>;
  /** Deletes the group (its servers keep running outside it); missing → `deleted: false`. */
  deletePlacementGroup(input: { readonly placementGroupId: number }): Promise<{ readonly deleted: boolean }>;
}

export interface CreatePlacementGroupInput {
  readonly name: string;
  readonly type: 'spread';
  readonly labels: Readonly<Record<string, string>>;
}

export interface CloudPlacementGroup {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  readonly labels: Readonly<Record<string, string>>;
  /** IDs of the servers in the group. */
  readonly servers: readonly number[];
}
