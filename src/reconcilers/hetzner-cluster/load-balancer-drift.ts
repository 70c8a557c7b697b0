import type { HetznerClusterSpec } from '../../../api/v1beta1/hetzner-cluster.js';
import type { CloudLoadBalancer, LoadBalancerService } from '../../ports/cloud-load-balancers.js';

/** One change that brings the load balancer closer to the spec (each is one API action). */
export type LoadBalancerChange =
  | { readonly kind: 'changeType'; readonly type: string }
  | { readonly kind: 'changeAlgorithm'; readonly algorithm: string }
  | { readonly kind: 'attachToNetwork'; readonly networkId: number }
  | { readonly kind: 'deleteService'; readonly listenPort: number }
  | { readonly kind: 'addService'; readonly service: LoadBalancerService }
  | { readonly kind: 'addTarget'; readonly serverId: number; readonly usePrivateIp: boolean }
  | { readonly kind: 'removeTarget'; readonly serverId: number };

type LoadBalancerSpec = NonNullable<HetznerClusterSpec['controlPlaneLoadBalancer']>;

/**
 * CAPH's services: the Kubernetes API on the endpoint's port (the load balancer's `port` until
 * an endpoint exists) to `port` on the servers, TCP, with the PROXY protocol when asked; then
 * every complete extra service.
 */
export function desiredServices(spec: HetznerClusterSpec, balancer: LoadBalancerSpec): LoadBalancerService[] {
  const kubeApi: LoadBalancerService = {
    protocol: 'tcp',
    listenPort: spec.controlPlaneEndpoint?.port || balancer.port,
    destinationPort: balancer.port,
    proxyProtocol: balancer.enableProxyProtocol ?? false,
  };
  const extra = (balancer.extraServices ?? []).flatMap((service): LoadBalancerService[] =>
    service.listenPort === undefined || service.destinationPort === undefined
      ? []
      : [
          {
            protocol: service.protocol ?? 'tcp',
            listenPort: service.listenPort,
            destinationPort: service.destinationPort,
            proxyProtocol: false,
          },
        ],
  );
  return [kubeApi, ...extra.filter((service) => service.listenPort !== kubeApi.listenPort)];
}

const sameService = (a: LoadBalancerService, b: LoadBalancerService): boolean =>
  a.protocol === b.protocol && a.destinationPort === b.destinationPort;

/**
 * What differs in type, algorithm, network and services, in the order to apply it. A service
 * whose protocol or destination changed is deleted first and added again. The PROXY protocol
 * is only set when a service is created (see README.md).
 */
export function propertyChanges(
  balancer: LoadBalancerSpec,
  services: readonly LoadBalancerService[],
  actual: CloudLoadBalancer,
  networkId: number | undefined,
): LoadBalancerChange[] {
  const changes: LoadBalancerChange[] = [];
  if (actual.type !== balancer.type) changes.push({ kind: 'changeType', type: balancer.type });
  if (actual.algorithm !== balancer.algorithm)
    changes.push({ kind: 'changeAlgorithm', algorithm: balancer.algorithm });
  if (networkId !== undefined && actual.privateNets.length === 0)
    changes.push({ kind: 'attachToNetwork', networkId });
  return [...changes, ...serviceChanges(services, actual)];
}

function serviceChanges(
  services: readonly LoadBalancerService[],
  actual: CloudLoadBalancer,
): LoadBalancerChange[] {
  const changes: LoadBalancerChange[] = [];
  for (const service of actual.services) {
    const wanted = services.find((candidate) => candidate.listenPort === service.listenPort);
    if (wanted === undefined || !sameService(wanted, service))
      changes.push({ kind: 'deleteService', listenPort: service.listenPort });
  }
  for (const service of services) {
    const present = actual.services.find((candidate) => candidate.listenPort === service.listenPort);
    if (present === undefined || !sameService(present, service))
      changes.push({ kind: 'addService', service });
  }
  return changes;
}

/**
 * Server targets to add (control-plane servers that are none yet) and to remove (server targets
 * that are no control-plane server of the cluster any more). Private addresses are used once the
 * load balancer is in the network, as CAPH does.
 */
export function targetChanges(
  actual: CloudLoadBalancer,
  controlPlaneServers: readonly number[],
): LoadBalancerChange[] {
  const current = actual.targets.flatMap((target) => (target.type === 'server' ? [target.serverId] : []));
  const usePrivateIp = actual.privateNets.length > 0;
  const add = controlPlaneServers
    .filter((serverId) => !current.includes(serverId))
    .map((serverId): LoadBalancerChange => ({ kind: 'addTarget', serverId, usePrivateIp }));
  const remove = current
    .filter((serverId) => !controlPlaneServers.includes(serverId))
    .map((serverId): LoadBalancerChange => ({ kind: 'removeTarget', serverId }));
  return [...remove, ...add];
}

/** A short description for events and conditions. */
export function describeChange(change: LoadBalancerChange): string {
  switch (change.kind) {
    case 'changeType':
      return `change type to ${change.type}`;
    case 'changeAlgorithm':
      return `change algorithm to ${change.algorithm}`;
    case 'attachToNetwork':
      return `attach to network ${change.networkId}`;
    case 'deleteService':
      return `delete the service on port ${change.listenPort}`;
    case 'addService':
      return `add a ${change.service.protocol} service ${change.service.listenPort} → ${change.service.destinationPort}`;
    case 'addTarget':
      return `add server ${change.serverId} as target${change.usePrivateIp ? ' (private IP)' : ''}`;
    case 'removeTarget':
      return `remove target server ${change.serverId}`;
  }
}
