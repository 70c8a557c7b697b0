import type { HetznerClusterSpec } from '../../../api/v1beta1/hetzner-cluster.js';
import { checks, type Check } from './checks.js';

/**
 * ControlPlaneEndpointSet: `spec.controlPlaneEndpoint` has a host and a port, given by the user
 * or set from the load balancer (infra-reconcile.ts). An absent `controlPlaneLoadBalancer`
 * counts as disabled (CAPH's Go zero value).
 */
export function endpointCheck(spec: HetznerClusterSpec): Check {
  const endpoint = spec.controlPlaneEndpoint;
  if (endpoint?.host && endpoint.port) return checks.endpointSet();
  if (spec.controlPlaneLoadBalancer?.enabled === true) {
    return checks.endpointNotSet(
      'enabled load balancer has no public IPv4 yet (see LoadBalancerReady); spec.controlPlaneEndpoint ' +
        'is set from it once it has',
    );
  }
  return checks.endpointNotSet(
    'spec.controlPlaneLoadBalancer is disabled and spec.controlPlaneEndpoint (host and port) is not set yet',
  );
}

/** CAPH's failure domains: one per control-plane region, usable by control-plane machines. */
export function failureDomainsOf(spec: HetznerClusterSpec): Record<string, { controlPlane: boolean }> {
  return Object.fromEntries(spec.controlPlaneRegions.map((region) => [region, { controlPlane: true }]));
}
