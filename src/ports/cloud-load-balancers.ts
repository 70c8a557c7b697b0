/**
 * The load balancers of one Hetzner Cloud project, as the HetznerCluster reconciler and the
 * HCloudMachines of its control plane need them. Changes run as actions: the methods resolve
 * once the API accepted them (the load balancer answers `locked` while one runs; the caller
 * comes back later). Every method rejects with a CloudError (./cloud-errors.ts); the HTTP
 * adapter lives in src/hetzner/cloud/.
 */
export interface CloudLoadBalancers {
  /** Load balancers matching the label selector or the exact name (all pages). */
  listLoadBalancers(input: LoadBalancerQuery): Promise<readonly CloudLoadBalancer[]>;
  /** Creates it with labels, services and network in one call, so a half-made one is still found. */
  createLoadBalancer(input: CreateLoadBalancerInput): Promise<CloudLoadBalancer>;
  /** Missing → `deleted: false`. */
  deleteLoadBalancer(input: LoadBalancerRef): Promise<{ readonly deleted: boolean }>;
  /** Replaces the whole label set (`PUT`); resolves with the load balancer afterwards. */
  setLabels(
    input: LoadBalancerRef & { readonly labels: Readonly<Record<string, string>> },
  ): Promise<CloudLoadBalancer>;
  changeType(input: LoadBalancerRef & { readonly type: string }): Promise<void>;
  changeAlgorithm(input: LoadBalancerRef & { readonly algorithm: string }): Promise<void>;
  addService(input: LoadBalancerRef & { readonly service: LoadBalancerService }): Promise<void>;
  deleteService(input: LoadBalancerRef & { readonly listenPort: number }): Promise<void>;
  attachToNetwork(input: LoadBalancerRef & { readonly networkId: number }): Promise<void>;
  /** Adding a server that is a target already rejects with apiCode `target_already_defined`. */
  addServerTarget(input: LoadBalancerRef & ServerTarget): Promise<void>;
  /** Removing a server that is no target rejects with `invalid_input`. */
  removeServerTarget(input: LoadBalancerRef & { readonly serverId: number }): Promise<void>;
}

export interface LoadBalancerRef {
  readonly loadBalancerId: number;
}

export interface LoadBalancerQuery {
  readonly labelSelector?: string;
  readonly name?: string;
}

export interface LoadBalancerService {
  readonly protocol: 'tcp' | 'http' | 'https';
  readonly listenPort: number;
  readonly destinationPort: number;
  readonly proxyProtocol: boolean;
}

export interface ServerTarget {
  readonly serverId: number;
  /** Reach the server on its private network address (the load balancer must be in that network). */
  readonly usePrivateIp: boolean;
}

export interface CreateLoadBalancerInput {
  readonly name: string;
  readonly type: string;
  readonly algorithm: string;
  readonly location: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly services: readonly LoadBalancerService[];
  /** The private network to attach it to at creation. */
  readonly networkId?: number;
}

export type CloudLoadBalancerTarget =
  | ({ readonly type: 'server' } & ServerTarget)
  | { readonly type: 'ip'; readonly ip: string }
  | { readonly type: 'label_selector'; readonly selector: string };

export interface CloudLoadBalancer {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  readonly algorithm: string;
  readonly location: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly publicIPv4?: string;
  readonly publicIPv6?: string;
  readonly privateNets: readonly { readonly networkId: number; readonly ip: string }[];
  readonly services: readonly LoadBalancerService[];
  readonly targets: readonly CloudLoadBalancerTarget[];
  /** Delete protection is on. */
  readonly protected: boolean;
}
