import { machineKind, type KubeClient, type KubeObject } from '../../kube/index.js';

/** Cluster API's remediation request on a Machine: its controller deletes and replaces it. */
export const REMEDIATE_ANNOTATION = 'cluster.x-k8s.io/remediate-machine';

/**
 * Puts the remediation annotation on the owner Machine, as CAPH's
 * SetRemediateMachineAnnotationToDeleteMachine does for both machine kinds. Idempotent: returns
 * whether it was newly set.
 */
export async function requestRemediation(
  client: KubeClient,
  machine: KubeObject,
  signal?: AbortSignal,
): Promise<boolean> {
  if (machine.metadata.annotations?.[REMEDIATE_ANNOTATION] !== undefined) return false;
  const target = { namespace: machine.metadata.namespace ?? '', name: machine.metadata.name ?? '' };
  const patch = { metadata: { annotations: { [REMEDIATE_ANNOTATION]: '' } } };
  await client.mergePatch(machineKind, target, patch, signal ? { signal } : {});
  return true;
}
