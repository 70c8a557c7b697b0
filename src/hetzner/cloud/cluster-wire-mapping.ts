import type {
  CloudLoadBalancer,
  CloudLoadBalancerTarget,
  LoadBalancerService,
} from '../../ports/cloud-load-balancers.js';
import type { CloudNetwork } from '../../ports/cloud-networks.js';
import type { CloudPlacementGroup } from '../../ports/cloud-placement-groups.js';
import type { WireLoadBalancer, WireNetwork, WirePlacementGroup } from './cluster-wire-schemas.js';

export function toCloudNetwork(network: WireNetwork): CloudNetwork {
  return {
    id: network.id,
    name: network.name,
    ipRange: network.ip_range,
    subnets: (network.subnets ?? []).map((subnet) => ({
      ipRange: subnet.ip_range ?? '',
      networkZone: subnet.network_zone,
    })),
    labels: { ...(network.labels ?? {}) },
    servers: [...(network.servers ?? [])],
  };
}

export function toCloudPlacementGroup(group: WirePlacementGroup): CloudPlacementGroup {
  return {
    id: group.id,
    name: group.name,
    type: group.type,
    labels: { ...(group.labels ?? {}) },
    servers: [...(group.servers ?? [])],
  };
}

type WireTarget = NonNullable<WireLoadBalancer['targets']>[number];

/** Targets of a type this client does not know are left out (they are never ours). */
function toTarget(target: WireTarget): CloudLoadBalancerTarget | undefined {
  if (target.type === 'server' && target.server)
    return { type: 'server', serverId: target.server.id, usePrivateIp: target.use_private_ip ?? false };
  if (target.type === 'ip' && target.ip) return { type: 'ip', ip: target.ip.ip };
  if (target.type === 'label_selector' && target.label_selector)
    return { type: 'label_selector', selector: target.label_selector.selector };
  return undefined;
}

function toService(service: NonNullable<WireLoadBalancer['services']>[number]): LoadBalancerService {
  return {
    protocol: service.protocol,
    listenPort: service.listen_port,
    destinationPort: service.destination_port,
    proxyProtocol: service.proxyprotocol ?? false,
  };
}

function publicAddressesOf(balancer: WireLoadBalancer): Pick<CloudLoadBalancer, 'publicIPv4' | 'publicIPv6'> {
  const ipv4 = balancer.public_net?.ipv4?.ip;
  const ipv6 = balancer.public_net?.ipv6?.ip;
  return { ...(ipv4 ? { publicIPv4: ipv4 } : {}), ...(ipv6 ? { publicIPv6: ipv6 } : {}) };
}

export function toCloudLoadBalancer(balancer: WireLoadBalancer): CloudLoadBalancer {
  return {
    id: balancer.id,
    name: balancer.name,
    type: balancer.load_balancer_type.name,
    algorithm: balancer.algorithm.type,
    location: balancer.location.name,
    labels: { ...(balancer.labels ?? {}) },
    ...publicAddressesOf(balancer),
    privateNets: (balancer.private_net ?? []).map((net) => ({ networkId: net.network, ip: net.ip })),
    services: (balancer.services ?? []).map(toService),
    targets: (balancer.targets ?? [])
      .map(toTarget)
      .filter((target): target is CloudLoadBalancerTarget => target !== undefined),
    protected: balancer.protection?.delete ?? false,
  };
}
