import type { Location } from './catalog.js';
import type { LoadBalancerType } from './load-balancer-types.js';

export type Algorithm = 'round_robin' | 'least_connections';

/** A service as the API shows it (snake_case); stored in that shape since it is configuration only. */
export interface ServiceConfig {
  readonly protocol: 'tcp' | 'http' | 'https';
  readonly listen_port: number;
  readonly destination_port: number;
  readonly proxyprotocol: boolean;
  readonly http: Record<string, unknown> | null;
  readonly health_check: Record<string, unknown> & { readonly port: number };
}

export type TargetRecord =
  | { readonly type: 'server'; readonly serverId: number; readonly usePrivateIp: boolean }
  | { readonly type: 'label_selector'; readonly selector: string; readonly usePrivateIp: boolean }
  | { readonly type: 'ip'; readonly ip: string };

/** A load balancer (docs.hetzner.cloud, "Load Balancers"). */
export interface LoadBalancerRecord {
  readonly id: number;
  name: string;
  labels: Record<string, string>;
  readonly created: Date;
  type: LoadBalancerType;
  readonly location: Location;
  algorithm: Algorithm;
  publicInterface: boolean;
  readonly ipv4: string;
  readonly ipv6: string;
  privateNets: { readonly network: number; readonly ip: string }[];
  services: ServiceConfig[];
  targets: TargetRecord[];
  readonly protection: { delete: boolean };
}
