import type { HetznerClusterSpec } from '../../../api/v1beta1/hetzner-cluster.js';
import { checks, type Check } from './checks.js';

/**
 * ControlPlaneEndpointSet. imageurl creates no load balancer, so the endpoint is always the one
 * in `spec.controlPlaneEndpoint` (host and port), whether the load balancer is enabled or not.
 * An absent `controlPlaneLoadBalancer` counts as disabled (CAPH's Go zero value).
 */
export function endpointCheck(spec: HetznerClusterSpec): Check {
  const endpoint = spec.controlPlaneEndpoint;
  if (endpoint?.host && endpoint.port) return checks.endpointSet();
  if (spec.controlPlaneLoadBalancer?.enabled === true) {
    return checks.endpointNotSet(
      'imageurl does not create load balancers: set spec.controlPlaneEndpoint (host and port) to the ' +
        'address of the Kubernetes API, or disable spec.controlPlaneLoadBalancer',
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
