import type { Phase, PhaseResult } from '../../kube/index.js';
import { observe } from './conditions.js';
import { isConsumedBy } from './host-choice.js';
import { dropOwnerReference, releaseStep, type ReleaseStep } from './host-release.js';
import { annotatedHostName } from './host-resolution.js';
import { dropDeprecatedFinalizer, record, type MachineScope, type PhaseContext } from './phase-context.js';
import { bareMetalHosts, type BareMetalHostObject, type BareMetalMachineObject } from './types.js';

/**
 * The host this machine consumes (found by the annotation, or by consumerRef when the claim's
 * annotation was never written: CAPH would leave that host claimed forever), else the annotated
 * host if it still exists (to drop the owner reference), else none.
 */
async function hostOf(context: PhaseContext, scope: MachineScope): Promise<BareMetalHostObject | undefined> {
  const { client } = context.deps;
  const machine = scope.object;
  const namespace = machine.metadata.namespace ?? '';
  const signal = scope.context.signal;
  const name = annotatedHostName(machine);
  const annotated = name
    ? await client.find<BareMetalHostObject>(bareMetalHosts, namespace, name, signal)
    : undefined;
  if (annotated && isConsumedBy(annotated, machine)) return annotated;
  const hosts = await client.list<BareMetalHostObject>(bareMetalHosts, { namespace, signal });
  return hosts.items.find((host) => isConsumedBy(host, machine)) ?? annotated;
}

function resultOf(context: PhaseContext, scope: MachineScope, step: ReleaseStep): PhaseResult | undefined {
  switch (step.kind) {
    case 'released':
      return undefined;
    case 'conflict':
      scope.context.log.info('The host changed while it was being released; reading it again');
      return { requeue: true };
    case 'waiting':
      scope.status.phase = 'Deleting';
      record(context, scope, [observe.deleting(step.message)]);
      // The host's own changes bring this machine back sooner (its consumerRef names it).
      return { requeueAfterMs: context.timings.deprovisionRequeueMs };
  }
}

/**
 * The delete phase (CAPH's Delete): release the host step by step, then the runtime drops the
 * finalizer. No owner is needed, so a machine whose Machine or Cluster went first still goes.
 */
export function deletePhase(context: PhaseContext): Phase<BareMetalMachineObject> {
  return async (scope): Promise<PhaseResult | undefined> => {
    const machine = scope.object;
    const { client } = context.deps;
    const signal = scope.context.signal;
    const host = await hostOf(context, scope);
    if (host) {
      const consumed = isConsumedBy(host, machine);
      const step = consumed
        ? await releaseStep(client, host, machine, signal)
        : await dropOwnerReference(client, host, machine, signal);
      const result = resultOf(context, scope, step);
      if (step.kind !== 'released') return result;
      if (consumed) {
        scope.context.log.info({ host: host.metadata.name }, 'Released the host');
        scope.event({
          type: 'Normal',
          reason: 'HostReleased',
          note: `released HetznerBareMetalHost ${host.metadata.name ?? ''}`,
        });
      }
    }
    await dropDeprecatedFinalizer(context, scope);
    scope.status.phase = 'Deleted';
    record(context, scope, [observe.deleting('Deleted')]);
    scope.event({
      type: 'Normal',
      reason: 'BareMetalMachineDeleted',
      note: `HetznerBareMetalMachine with name ${machine.metadata.name ?? ''} deleted`,
    });
    return undefined;
  };
}
