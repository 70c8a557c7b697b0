import type { EventInput } from '../../kube/index.js';
import { labelSelector, ownerLabels } from './infra-naming.js';
import type { ClusterCloud } from './infra-types.js';
import type { HetznerClusterObject } from './types.js';

/**
 * Deletes what the cluster owns, found by its labels (not only the IDs in the status, so a
 * resource created just before a crash goes too), in CAPH's order: load balancer, network,
 * placement groups. A load balancer the user named (`spec.controlPlaneLoadBalancer.name`) or
 * protected from deletion is only given back: the cluster's labels come off, it stays.
 * Errors propagate (the work queue retries with backoff); what is gone already counts as done.
 */
export async function deleteInfrastructure(
  object: HetznerClusterObject,
  cloud: ClusterCloud,
  event: (input: EventInput) => void,
): Promise<void> {
  const owner = ownerLabels(object);
  const selector = labelSelector(owner);
  for (const balancer of await cloud.loadBalancers.listLoadBalancers({ labelSelector: selector })) {
    if (balancer.protected || object.spec.controlPlaneLoadBalancer?.name) {
      const labels = Object.fromEntries(Object.entries(balancer.labels).filter(([key]) => !(key in owner)));
      await cloud.loadBalancers.setLabels({ loadBalancerId: balancer.id, labels });
      event({
        type: 'Normal',
        reason: 'LoadBalancerReleased',
        note: `Released load balancer ${balancer.name} (kept)`,
      });
      continue;
    }
    await cloud.loadBalancers.deleteLoadBalancer({ loadBalancerId: balancer.id });
    event({ type: 'Normal', reason: 'DeleteLoadBalancer', note: `Deleted load balancer ${balancer.name}` });
  }
  for (const network of await cloud.networks.listNetworks({ labelSelector: selector })) {
    await cloud.networks.deleteNetwork({ networkId: network.id });
    event({ type: 'Normal', reason: 'NetworkDeleted', note: `Deleted network ${network.name}` });
  }
  for (const group of await cloud.placementGroups.listPlacementGroups({ labelSelector: selector })) {
    await cloud.placementGroups.deletePlacementGroup({ placementGroupId: group.id });
    event({
      type: 'Normal',
      reason: 'PlacementGroupsDeleted',
      note: `Deleted placement group ${group.name}`,
    });
  }
}
