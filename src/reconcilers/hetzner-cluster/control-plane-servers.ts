import type { Informer, KubeObject } from '../../kube/index.js';
import { serverIdOf } from '../../provisioning/index.js';
import { machinesOf } from './cluster-links.js';

/** Cluster API's label on control-plane machines (KubeadmControlPlane sets it on the infrastructure machines too). */
const CONTROL_PLANE_LABEL = 'cluster.x-k8s.io/control-plane';

/**
 * The server IDs of the cluster's control-plane HCloudMachines that have a server and are not
 * being deleted: the load balancer's targets.
 */
export function controlPlaneServers(
  informer: Informer<KubeObject>,
  namespace: string,
  clusterName: string,
): number[] {
  return machinesOf(informer, namespace, clusterName)
    .filter((machine) => machine.metadata.labels?.[CONTROL_PLANE_LABEL] !== undefined)
    .filter((machine) => !machine.metadata.deletionTimestamp)
    .flatMap((machine) => {
      const id = serverIdOf((machine as { spec?: { providerID?: string } }).spec?.providerID);
      return id === undefined ? [] : [id];
    })
    .sort((a, b) => a - b);
}
