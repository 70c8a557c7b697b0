import { formatIp, parseCidr, type Cidr } from './ipv4-cidr.js';
import { timestamp } from './time.js';

/** `cloud` is today's subnet type; `server` is its deprecated name. vSwitch subnets are not simulated. */
export type SubnetType = 'cloud' | 'server';

export interface SubnetRecord {
  readonly type: SubnetType;
  readonly ipRange: string;
  readonly networkZone: string;
}

export interface RouteRecord {
  readonly destination: string;
  readonly gateway: string;
}

/** A private network (docs.hetzner.cloud, "Networks"). */
export interface NetworkRecord {
  readonly id: number;
  name: string;
  ipRange: string;
  subnets: SubnetRecord[];
  routes: RouteRecord[];
  labels: Record<string, string>;
  readonly protection: { delete: boolean };
  exposeRoutesToVSwitch: boolean;
  readonly created: Date;
}

/** Who is attached, computed from the servers and load balancers (their `private_net`). */
export interface NetworkMembers {
  readonly servers: readonly number[];
  readonly loadBalancers: readonly number[];
}

export const networkZones = ['eu-central', 'us-east', 'us-west', 'ap-southeast'] as const;

export function cidrOf(text: string): Cidr {
  const cidr = parseCidr(text);
  if (cidr === undefined) throw new Error(`stored range ${text} is not a CIDR`);
  return cidr;
}

/** The network's gateway: its first address after the network address (e.g. 10.0.0.1). */
export function gatewayOf(network: NetworkRecord): number {
  return cidrOf(network.ipRange).base + 1;
}

export function renderNetwork(network: NetworkRecord, members: NetworkMembers): Record<string, unknown> {
  const gateway = gatewayOf(network);
  return {
    id: network.id,
    name: network.name,
    ip_range: network.ipRange,
    subnets: network.subnets.map((subnet) => ({
      type: subnet.type,
      ip_range: subnet.ipRange,
      network_zone: subnet.networkZone,
      gateway: formatIp(gateway),
      vswitch_id: null,
    })),
    routes: network.routes.map((route) => ({ ...route })),
    servers: [...members.servers],
    load_balancers: [...members.loadBalancers],
    protection: { ...network.protection },
    labels: { ...network.labels },
    created: timestamp(network.created),
    expose_routes_to_vswitch: network.exposeRoutesToVSwitch,
  };
}
