import { CloudErrorResponse } from './cloud-error-response.js';
import type { CloudProject } from './cloud-project.js';
import { containsIp, formatIp, lastIp, parseIp } from './ipv4-cidr.js';
import {
  cidrOf,
  gatewayOf,
  type NetworkMembers,
  type NetworkRecord,
  type SubnetRecord,
} from './network-record.js';

export interface AddressRequest {
  /** A wanted address; else the next free one. */
  readonly ip?: string | undefined;
  /** The subnet to take it from; else any subnet of the zone. */
  readonly ipRange?: string | undefined;
  /** Addresses taken by the same request (a server's alias IPs). */
  readonly alsoTaken?: ReadonlySet<string>;
}

/** Who is attached to a network: the servers' and load balancers' own attachments say so. */
export function networkMembers(project: CloudProject, networkId: number): NetworkMembers {
  const attached = (nets: readonly { network: number }[]): boolean =>
    nets.some((n) => n.network === networkId);
  return {
    servers: [...project.servers.values()].filter((s) => attached(s.privateNets)).map((s) => s.id),
    loadBalancers: [...project.loadBalancers.values()]
      .filter((b) => attached(b.privateNets))
      .map((b) => b.id),
  };
}

/** Ends every attachment to a network (it is being deleted). */
export function detachAll(project: CloudProject, networkId: number): void {
  for (const server of project.servers.values())
    server.privateNets = server.privateNets.filter((n) => n.network !== networkId);
  for (const balancer of project.loadBalancers.values())
    balancer.privateNets = balancer.privateNets.filter((n) => n.network !== networkId);
}

/** Addresses taken in the network: servers' IPs and alias IPs, load balancers' IPs. */
export function usedAddresses(project: CloudProject, networkId: number): Set<string> {
  const serverIps = [...project.servers.values()].flatMap((server) =>
    server.privateNets.filter((net) => net.network === networkId).flatMap((net) => [net.ip, ...net.aliasIps]),
  );
  const balancerIps = [...project.loadBalancers.values()].flatMap((balancer) =>
    balancer.privateNets.filter((net) => net.network === networkId).map((net) => net.ip),
  );
  return new Set([...serverIps, ...balancerIps]);
}

/**
 * The private address a server or load balancer in `zone` gets in `network` (docs.hetzner.cloud,
 * "Attach a Server to a Network"): from a subnet of its network zone; the subnet's first and last
 * address and the network gateway are never handed out. 422 `ip_not_available` for a taken or
 * foreign wanted IP, `no_subnet_available` when the zone has no subnet or no free address.
 */
export function allocateAddress(
  project: CloudProject,
  network: NetworkRecord,
  zone: string,
  request: AddressRequest,
): string {
  const subnets = network.subnets.filter(
    (subnet) =>
      subnet.networkZone === zone && (request.ipRange === undefined || subnet.ipRange === request.ipRange),
  );
  if (request.ipRange !== undefined && subnets.length === 0)
    throw CloudErrorResponse.invalidField(
      'ip_range',
      `no subnet ${request.ipRange.slice(0, 50)} in network zone ${zone}`,
    );
  const used = new Set([...usedAddresses(project, network.id), ...(request.alsoTaken ?? [])]);
  const gateway = gatewayOf(network);
  const free = (ip: number, subnet: SubnetRecord): boolean => {
    const cidr = cidrOf(subnet.ipRange);
    return ip > cidr.base && ip < lastIp(cidr) && ip !== gateway && !used.has(formatIp(ip));
  };
  if (request.ip !== undefined) {
    const wanted = parseIp(request.ip);
    const fits = subnets.some(
      (subnet) => wanted !== undefined && containsIp(cidrOf(subnet.ipRange), wanted) && free(wanted, subnet),
    );
    if (wanted === undefined || !fits)
      throw CloudErrorResponse.unprocessable(
        'ip_not_available',
        `IP ${request.ip.slice(0, 40)} is not available`,
      );
    return formatIp(wanted);
  }
  for (const subnet of subnets) {
    const cidr = cidrOf(subnet.ipRange);
    for (let ip = cidr.base + 1; ip < lastIp(cidr); ip++) if (free(ip, subnet)) return formatIp(ip);
  }
  throw CloudErrorResponse.unprocessable(
    'no_subnet_available',
    `no subnet or IP is available in network zone ${zone}`,
  );
}

/** A MAC address of the private interface; Hetzner's start with 86:00:00. */
export function privateMac(resourceId: number, networkId: number): string {
  const bytes = [(resourceId >> 8) & 0xff, resourceId & 0xff, networkId & 0xff];
  return ['86', '00', '00', ...bytes.map((b) => b.toString(16).padStart(2, '0'))].join(':');
}
