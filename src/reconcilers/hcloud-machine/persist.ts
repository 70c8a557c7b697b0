import type { KubeClient, Scope } from '../../kube/index.js';
import type { MachineStatus, Requeue } from '../../provisioning/index.js';
import type { PhaseResult } from '../../kube/index.js';
import { stateAnnotationOf, writeStatus } from './status-mapping.js';
import { STATE_ANNOTATION, type HCloudMachineObject } from './types.js';

import { hcloudMachines } from '../shared/kinds.js';

/**
 * Persists what the core returned: status into the draft (patched by the runtime), and — with
 * one merge patch, only when changed — spec.providerID and the state annotation, which the
 * runtime's status patch cannot write.
 */
export async function persist(
  client: KubeClient,
  scope: Scope<HCloudMachineObject>,
  status: MachineStatus,
): Promise<void> {
  const { object } = scope;
  writeStatus(scope.status, status, object.metadata.generation);
  const annotation = stateAnnotationOf(status);
  const annotationChanged = object.metadata.annotations?.[STATE_ANNOTATION] !== annotation;
  const providerChanged = status.providerID !== undefined && object.spec.providerID !== status.providerID;
  if (!annotationChanged && !providerChanged) return;
  const patch = {
    metadata: { annotations: { [STATE_ANNOTATION]: annotation } },
    ...(providerChanged ? { spec: { providerID: status.providerID } } : {}),
  };
  const target = { namespace: object.metadata.namespace ?? '', name: object.metadata.name ?? '' };
  await client.mergePatch(hcloudMachines, target, patch, { signal: scope.context.signal });
}

/** The runtime's requeue for the core's. */
export function toPhaseResult(requeue: Requeue): PhaseResult | undefined {
  if (requeue.kind === 'none') return undefined;
  return { requeueAfterMs: Math.max(1, requeue.ms) };
}
