import { MachineRemediationConditions } from '../../../api/conditions/index.js';
import type { Condition, MetaCondition } from '../../../api/v1beta1/common.js';
import { isKubeError, machineKind, type KubeClient } from '../../kube/index.js';
import { REMEDIATE_ANNOTATION } from '../shared/remediation.js';
import type { HandOverReason } from './decide.js';
import type { RemediatedMachine } from './types.js';

const OWNER_REMEDIATED = MachineRemediationConditions.OwnerRemediated;
const ATTEMPTS = 5;

export interface MachineTarget {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly name: string;
  readonly signal: AbortSignal;
}

/**
 * Hands the Machine to its owner (MachineSet or KubeadmControlPlane), as CAPH does: OwnerRemediated
 * False in both condition lists Cluster API reads, v1beta2 `status.conditions` (the MachineSet's
 * filter since Cluster API 1.11) and v1beta1 `status.deprecated.v1beta1.conditions`. With the
 * MachineHealthCheck's HealthCheckSucceeded False, the owner deletes and replaces the Machine.
 * The lists are written whole, so each write is conditional on the Machine's resourceVersion and
 * re-read on a conflict: another writer's conditions are never lost.
 */
export async function handOverToOwner(
  target: MachineTarget,
  reason: HandOverReason,
  message: string,
  now: Date,
): Promise<void> {
  const prefix =
    reason === 'RemediationCooldownTriggered'
      ? 'Remediation cooldown active (machine will be deleted)'
      : 'Remediation finished (machine will be deleted)';
  const text = `${prefix}: ${message}`;
  const time = now.toISOString().replace(/\.\d+Z$/, 'Z');
  for (let attempt = 1; ; attempt++) {
    const machine = await target.client.get<RemediatedMachine>(
      machineKind,
      target.namespace,
      target.name,
      target.signal,
    );
    try {
      const options = { subresource: 'status' as const, signal: target.signal };
      await target.client.mergePatch(
        machineKind,
        target,
        ownerRemediatedPatch(machine, reason, text, time),
        options,
      );
      return;
    } catch (error) {
      if (!isKubeError(error, 'KUBE_CONFLICT') || attempt >= ATTEMPTS) throw error;
    }
  }
}

/** Both condition lists of `machine` with OwnerRemediated False, conditional on its resourceVersion. */
function ownerRemediatedPatch(
  machine: RemediatedMachine,
  reason: HandOverReason,
  message: string,
  time: string,
): Record<string, unknown> {
  const v1beta2 = withCondition(machine.status?.conditions ?? [], {
    type: OWNER_REMEDIATED.v1beta2.type,
    status: 'False',
    reason: OWNER_REMEDIATED.v1beta2.reasons[reason],
    message,
    lastTransitionTime: time,
  });
  const v1beta1 = withCondition(machine.status?.deprecated?.v1beta1?.conditions ?? [], {
    type: OWNER_REMEDIATED.v1beta1.type,
    status: 'False',
    severity: 'Warning',
    reason: OWNER_REMEDIATED.v1beta1.reasons[reason],
    message,
    lastTransitionTime: time,
  });
  return {
    metadata: { resourceVersion: machine.metadata.resourceVersion },
    status: { conditions: v1beta2, deprecated: { v1beta1: { conditions: v1beta1 } } },
  };
}

/** `conditions` with `condition` in place of its type's, keeping the transition time when unchanged. */
function withCondition<C extends Condition | MetaCondition>(conditions: readonly C[], condition: C): C[] {
  const current = conditions.find((existing) => existing.type === condition.type);
  const kept =
    current?.status === condition.status
      ? { ...condition, lastTransitionTime: current.lastTransitionTime }
      : condition;
  const others = conditions.filter((existing) => existing.type !== condition.type);
  return [...others, kept];
}

/**
 * The reboot worked: the Machine keeps no remediation request (Cluster API's MachineHealthCheck
 * does not clear the annotation after an external remediation), as CAPH does.
 */
export async function clearRemediationRequest(
  target: MachineTarget,
  machine: RemediatedMachine,
): Promise<void> {
  if (machine.metadata.annotations?.[REMEDIATE_ANNOTATION] === undefined) return;
  const patch = { metadata: { annotations: { [REMEDIATE_ANNOTATION]: null } } };
  await target.client.mergePatch(machineKind, target, patch, { signal: target.signal });
}
