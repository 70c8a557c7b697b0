import { isCloudError } from '../../ports/cloud-errors.js';
import type { CloudLoadBalancers } from '../../ports/cloud-load-balancers.js';
import { serverIdOf } from '../../provisioning/index.js';
import type { Owners } from './types.js';

/**
 * Before a control-plane server goes, it leaves the cluster's load balancer, so the Kubernetes
 * API is not routed to a server that is shutting down (CAPH does the same). The HetznerCluster
 * adds targets; this only removes the machine's own. Not a target (any more) is fine.
 */
export async function leaveLoadBalancer(
  loadBalancers: CloudLoadBalancers | undefined,
  owners: Owners,
  providerID: string | undefined,
): Promise<boolean> {
  const target = targetOf(owners, providerID);
  if (loadBalancers === undefined || target === undefined) return false;
  try {
    await loadBalancers.removeServerTarget(target);
    return true;
  } catch (error) {
    if (isCloudError(error, 'invalid_input') || isCloudError(error, 'not_found')) return false;
    throw error;
  }
}

/** The load balancer and server, when the cluster's status lists the server as a target. */
function targetOf(
  owners: Owners,
  providerID: string | undefined,
): { readonly loadBalancerId: number; readonly serverId: number } | undefined {
  const serverId = serverIdOf(providerID);
  const balancer = owners.hetznerCluster.status?.controlPlaneLoadBalancer;
  const targets = balancer?.targets ?? [];
  if (serverId === undefined || balancer?.id === undefined) return undefined;
  const isTarget = targets.some((target) => target.type === 'server' && target.serverID === serverId);
  return isTarget ? { loadBalancerId: balancer.id, serverId } : undefined;
}
