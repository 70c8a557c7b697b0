/**
 * The private networks of one Hetzner Cloud project, as the HetznerCluster reconciler needs them:
 * find the cluster's network by its ownership label, create it with one subnet, delete it. Every
 * method rejects with a CloudError (./cloud-errors.ts). The HTTP adapter lives in src/hetzner/cloud/.
 */
export interface CloudNetworks {
  /** Every network matching the API's label selector (all pages). */
  listNetworks(input: { readonly labelSelector: string }): Promise<readonly CloudNetwork[]>;
  /** Creates the network with its labels and one `cloud` subnet in one call (nothing to leak). */
  createNetwork(input: CreateNetworkInput): Promise<CloudNetwork>;
  /** Deletes the network (servers and load balancers are detached by the API); missing → `deleted: false`. */
  deleteNetwork(input: { readonly networkId: number }): Promise<{ readonly deleted: boolean }>;
}

export interface CreateNetworkInput {
  readonly name: string;
  /** RFC 1918 range, e.g. `10.0.0.0/16`. */
  readonly ipRange: string;
  readonly subnet: { readonly ipRange: string; readonly networkZone: string };
  readonly labels: Readonly<Record<string, string>>;
}

export interface CloudNetwork {
  readonly id: number;
  readonly name: string;
  readonly ipRange: string;
  readonly subnets: readonly { readonly ipRange: string; readonly networkZone: string }[];
  readonly labels: Readonly<Record<string, string>>;
  /** IDs of the servers attached to it. */
  readonly servers: readonly number[];
}
