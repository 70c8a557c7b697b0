import {
  type Condition,
  type ConditionSeverity,
  type HetznerBareMetalMachineStatus,
  type MetaCondition,
} from '../../../api/v1beta1/index.js';
import { summarizeV1beta1, summarizeV1beta2, type V1Change, type V2Change } from './condition-summary.js';

/**
 * CAPH's HetznerBareMetalMachine condition types and reasons (`api/v1beta1/conditions_const.go`):
 * v1beta1 in `status.conditions`, v1beta2 (metav1) in `status.v1beta2.conditions`.
 */
export const BareMetalMachineConditions = {
  v1beta1: {
    BootstrapReady: 'BootstrapReady',
    HostAssociateSucceeded: 'HostAssociateSucceeded',
    HostReady: 'HostReady',
    ServerAvailable: 'ServerAvailable',
  },
  v1beta1Reasons: {
    BootstrapNotReady: 'BootstrapNotReady',
    NoAvailableHost: 'NoAvailableHost',
    HostAssociateFailed: 'HostAssociateFailed',
    HostNotFound: 'HostNotFound',
    /** The host has no Ready condition yet: CAPH's generic host reason (§1.5). */
    StillProvisioning: 'StillProvisioning',
  },
  v1beta2: {
    HostAssociated: 'HostAssociated',
    Deleting: 'Deleting',
    HostReady: 'HostReady',
    ServerAvailable: 'ServerAvailable',
  },
  v1beta2Reasons: {
    WaitingForBootstrapData: 'WaitingForBootstrapData',
    Associated: 'Associated',
    NoAvailableHost: 'NoAvailableHost',
    AssociationFailed: 'AssociationFailed',
    Deleting: 'Deleting',
    Ready: 'Ready',
    NotReady: 'NotReady',
    NotFound: 'NotFound',
    Available: 'Available',
  },
} as const;

const C = BareMetalMachineConditions;

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
      C.v1beta1.BootstrapReady,
      C.v1beta1Reasons.BootstrapNotReady,
      'Info',
      'bootstrap not ready yet',
    ),
    v2: {
      type: C.v1beta2.HostAssociated,
      status: 'False',
      reason: C.v1beta2Reasons.WaitingForBootstrapData,
      message: 'bootstrap not ready yet',
    },
  }),
  bootstrapReady: (): Observation => ({ v1: { type: C.v1beta1.BootstrapReady, status: 'True' } }),
  noAvailableHost: (reason: string): Observation => {
    const message = `no available host (${reason})`;
    return {
      v1: falseV1(C.v1beta1.HostAssociateSucceeded, C.v1beta1Reasons.NoAvailableHost, 'Warning', message),
      v2: {
        type: C.v1beta2.HostAssociated,
        status: 'False',
        reason: C.v1beta2Reasons.NoAvailableHost,
        message,
      },
    };
  },
  hostAssociated: (): Observation => ({
    v1: { type: C.v1beta1.HostAssociateSucceeded, status: 'True' },
    v2: { type: C.v1beta2.HostAssociated, status: 'True', reason: C.v1beta2Reasons.Associated },
  }),
  hostReady: (): Observation => ({
    v1: { type: C.v1beta1.HostReady, status: 'True' },
    v2: { type: C.v1beta2.HostReady, status: 'True', reason: C.v1beta2Reasons.Ready },
  }),
  hostNotReady: (reason: string, severity: ConditionSeverity, message: string): Observation => ({
    v1: falseV1(C.v1beta1.HostReady, reason, severity, message),
    v2: { type: C.v1beta2.HostReady, status: 'False', reason: C.v1beta2Reasons.NotReady, message },
  }),
  hostNotFound: (): Observation => ({
    v1: falseV1(C.v1beta1.HostReady, C.v1beta1Reasons.HostNotFound, 'Error', 'associated host not found'),
    v2: {
      type: C.v1beta2.HostReady,
      status: 'False',
      reason: C.v1beta2Reasons.NotFound,
      message: 'associated host not found',
    },
  }),
  serverAvailable: (): Observation => ({
    v1: { type: C.v1beta1.ServerAvailable, status: 'True' },
    v2: { type: C.v1beta2.ServerAvailable, status: 'True', reason: C.v1beta2Reasons.Available },
  }),
  deleting: (message: string): Observation => ({
    v2: { type: C.v1beta2.Deleting, status: 'True', reason: C.v1beta2Reasons.Deleting, message },
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

const readyFirst = <T extends { type: string }>(conditions: readonly T[]): T[] =>
  [...conditions].sort((a, b) =>
    a.type === 'Ready' ? -1 : b.type === 'Ready' ? 1 : a.type.localeCompare(b.type),
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
  const ready = summarizeV1beta1(v1.filter((condition) => condition.type !== 'Ready'));
  if (ready) v1 = setV1(v1, ready, now);
  v2 = setV2(v2, summarizeV1beta2(v2.filter((c) => c.type !== 'Ready')), now, when.generation);
  status.conditions = readyFirst(v1);
  status.v1beta2 = { ...status.v1beta2, conditions: readyFirst(v2) };
}
