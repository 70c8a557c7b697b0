import {
  HetznerBareMetalMachineConditions as C,
  ReadyCondition,
  type ConditionSeverity,
} from '../../../api/conditions/index.js';
import type { Condition, HetznerBareMetalMachineStatus, MetaCondition } from '../../../api/v1beta1/index.js';
import { summarizeV1beta1, summarizeV1beta2, type V1Change, type V2Change } from './condition-summary.js';

const { BootstrapReady, HostAssociated, HostReady, ServerAvailable, Deleting } = C;

/** One observation, in one or both condition formats. */
export interface Observation {
  readonly v1?: V1Change;
  readonly v2?: V2Change;
}

const falseV1 = (type: string, reason: string, severity: ConditionSeverity, message: string): V1Change => ({
  type,
  status: 'False',
  reason,
  severity,
  message,
});

/** The observations the reconciler makes, with CAPH's types, reasons and messages. */
export const observe = {
  bootstrapNotReady: (): Observation => ({
    v1: falseV1(
      BootstrapReady.v1beta1.type,
      BootstrapReady.v1beta1.reasons.BootstrapNotReady,
      'Info',
      'bootstrap not ready yet',
    ),
    v2: {
      type: HostAssociated.v1beta2.type,
      status: 'False',
      reason: HostAssociated.v1beta2.reasons.WaitingForBootstrapData,
      message: 'bootstrap not ready yet',
    },
  }),
  bootstrapReady: (): Observation => ({ v1: { type: BootstrapReady.v1beta1.type, status: 'True' } }),
  noAvailableHost: (reason: string): Observation => {
    const message = `no available host (${reason})`;
    return {
      v1: falseV1(
        HostAssociated.v1beta1.type,
        HostAssociated.v1beta1.reasons.NoAvailableHost,
        'Warning',
        message,
      ),
      v2: {
        type: HostAssociated.v1beta2.type,
        status: 'False',
        reason: HostAssociated.v1beta2.reasons.NoAvailableHost,
        message,
      },
    };
  },
  hostAssociated: (): Observation => ({
    v1: { type: HostAssociated.v1beta1.type, status: 'True' },
    v2: {
      type: HostAssociated.v1beta2.type,
      status: 'True',
      reason: HostAssociated.v1beta2.reasons.Associated,
    },
  }),
  hostReady: (): Observation => ({
    v1: { type: HostReady.v1beta1.type, status: 'True' },
    v2: { type: HostReady.v1beta2.type, status: 'True', reason: HostReady.v1beta2.reasons.Ready },
  }),
  /** `reason`: the host's own (CAPH mirrors the host's Ready), or HostReady's StillProvisioning. */
  hostNotReady: (reason: string, severity: ConditionSeverity, message: string): Observation => ({
    v1: falseV1(HostReady.v1beta1.type, reason, severity, message),
    v2: {
      type: HostReady.v1beta2.type,
      status: 'False',
      reason: HostReady.v1beta2.reasons.NotReady,
      message,
    },
  }),
  hostNotFound: (): Observation => ({
    v1: falseV1(
      HostReady.v1beta1.type,
      HostReady.v1beta1.reasons.HostNotFound,
      'Error',
      'associated host not found',
    ),
    v2: {
      type: HostReady.v1beta2.type,
      status: 'False',
      reason: HostReady.v1beta2.reasons.NotFound,
      message: 'associated host not found',
    },
  }),
  serverAvailable: (): Observation => ({
    v1: { type: ServerAvailable.v1beta1.type, status: 'True' },
    v2: {
      type: ServerAvailable.v1beta2.type,
      status: 'True',
      reason: ServerAvailable.v1beta2.reasons.Available,
    },
  }),
  deleting: (message: string): Observation => ({
    v2: { type: Deleting.v1beta2.type, status: 'True', reason: Deleting.v1beta2.reasons.Deleting, message },
  }),
};

const isSame = (a: { status: string } | undefined, b: { status: string }): boolean => a?.status === b.status;

function setV1(list: readonly Condition[], change: V1Change, now: string): Condition[] {
  const previous = list.find((condition) => condition.type === change.type);
  const written: Condition = {
    type: change.type,
    status: change.status,
    lastTransitionTime: previous && isSame(previous, change) ? previous.lastTransitionTime : now,
    ...(change.status === 'True' || !change.reason ? {} : { reason: change.reason }),
    ...(change.status === 'True' || !change.severity ? {} : { severity: change.severity }),
    ...(change.status === 'True' || !change.message ? {} : { message: change.message }),
  };
  return [...list.filter((condition) => condition.type !== change.type), written];
}

function setV2(
  list: readonly MetaCondition[],
  change: V2Change,
  now: string,
  generation?: number,
): MetaCondition[] {
  const previous = list.find((condition) => condition.type === change.type);
  const written: MetaCondition = {
    type: change.type,
    status: change.status,
    lastTransitionTime: previous && isSame(previous, change) ? previous.lastTransitionTime : now,
    reason: change.reason,
    message: change.message ?? '',
    ...(generation === undefined ? {} : { observedGeneration: generation }),
  };
  return [...list.filter((condition) => condition.type !== change.type), written];
}

/** The same type string in both formats. */
const READY = ReadyCondition.v1beta1.type;

const readyFirst = <T extends { type: string }>(conditions: readonly T[]): T[] =>
  [...conditions].sort((a, b) =>
    a.type === READY ? -1 : b.type === READY ? 1 : a.type.localeCompare(b.type),
  );

/**
 * Writes the observations into the status draft (a condition keeps its lastTransitionTime while
 * its status stays the same), then both Ready summaries. Conditions not observed stay as they are.
 */
export function applyObservations(
  status: HetznerBareMetalMachineStatus,
  observations: readonly Observation[],
  when: { readonly now: Date; readonly generation?: number },
): void {
  const now = when.now.toISOString();
  let v1 = status.conditions ?? [];
  let v2 = status.v1beta2?.conditions ?? [];
  for (const observation of observations) {
    if (observation.v1) v1 = setV1(v1, observation.v1, now);
    if (observation.v2) v2 = setV2(v2, observation.v2, now, when.generation);
  }
  const ready = summarizeV1beta1(v1.filter((condition) => condition.type !== READY));
  if (ready) v1 = setV1(v1, ready, now);
  v2 = setV2(v2, summarizeV1beta2(v2.filter((c) => c.type !== READY)), now, when.generation);
  status.conditions = readyFirst(v1);
  status.v1beta2 = { ...status.v1beta2, conditions: readyFirst(v2) };
}
