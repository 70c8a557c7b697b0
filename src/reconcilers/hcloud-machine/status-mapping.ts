import type { HCloudMachineStatus } from '../../../api/v1beta1/hcloud-machine.js';
import type { StatusOf } from '../../kube/reconcile/phases.js';
import { isBootState, type MachineCondition, type MachineStatus } from '../../provisioning/index.js';
import { defined, parseStateAnnotation, reviveConditions } from '../shared/state-annotation.js';
import {
  persistHistory,
  reviveHistory,
  type PersistedStateChange,
} from '../shared/state-history-annotation.js';
import { toV1beta1Conditions, toV1beta2Conditions } from './conditions.js';
import { STATE_ANNOTATION, type HCloudMachineObject } from './types.js';

/**
 * What the annotation holds: the core's bookkeeping, its conditions (lossless, reason keys), and
 * what status has that cannot be found again by looking at the server (the boot state, its start,
 * the tracked actions). `clusterctl move` re-creates objects without status but with their
 * annotations, so a moved machine goes on where it was; addresses and the server's state are
 * looked up again (through the ownership check), never taken from here.
 */
interface PersistedState {
  readonly bootState?: string;
  readonly bootStateSince?: string;
  readonly externalIDs?: MachineStatus['externalIDs'];
  readonly rescueHostKey?: string;
  readonly leftRescueHostKey?: string;
  readonly serverRequested?: boolean;
  readonly rescueResets?: number;
  readonly createRejection?: PersistedRejection;
  readonly consecutiveErrors?: number;
  readonly conditions?: Record<string, MachineCondition>;
  readonly stateHistory?: readonly PersistedStateChange[];
}

interface PersistedRejection {
  readonly request: string;
  readonly at: string;
  readonly count: number;
  readonly retryAt?: string;
}

/** The core's MachineStatus from the HCloudMachine (status, spec.providerID, the annotation). */
export function readStatus(object: HCloudMachineObject): MachineStatus {
  const state = parseStateAnnotation(object.metadata.annotations?.[STATE_ANNOTATION]) as PersistedState;
  // No boot state in status: a new object, or one re-created without status (clusterctl move).
  const status = object.status?.bootState === undefined ? restoredStatus(state) : (object.status ?? {});
  const bootState = isBootState(status.bootState) ? status.bootState : '';
  return defined({
    bootState,
    bootStateSince: status.bootStateSince ? new Date(status.bootStateSince) : undefined,
    providerID: object.spec.providerID,
    externalIDs: status.externalIDs
      ? (defined(status.externalIDs) as MachineStatus['externalIDs'])
      : undefined,
    addresses: status.addresses as MachineStatus['addresses'],
    instanceState: status.instanceState as MachineStatus['instanceState'],
    ready: status.ready,
    sshKeys: status.sshKeys?.map((key) => key.name),
    conditions: reviveConditions(state.conditions),
    rescueHostKey: state.rescueHostKey,
    leftRescueHostKey: state.leftRescueHostKey,
    serverRequested: state.serverRequested,
    rescueResets: typeof state.rescueResets === 'number' ? state.rescueResets : undefined,
    createRejection: reviveRejection(state.createRejection),
    consecutiveErrors: state.consecutiveErrors,
    stateHistory: reviveHistory(state.stateHistory, isBootState),
  } as MachineStatus);
}

type CreateRejection = NonNullable<MachineStatus['createRejection']>;

function persistRejection(rejection: CreateRejection | undefined): PersistedRejection | undefined {
  if (rejection === undefined) return undefined;
  const { request, at, count, retryAt } = rejection;
  return defined({
    request,
    at: at.toISOString(),
    count,
    retryAt: retryAt?.toISOString(),
  }) as PersistedRejection;
}

/** Dropped when unreadable: the next create is then simply sent (Hetzner answers again). */
function reviveRejection(persisted: PersistedRejection | undefined): CreateRejection | undefined {
  if (typeof persisted?.request !== 'string' || typeof persisted.at !== 'string') return undefined;
  const at = new Date(persisted.at);
  const retryAt = persisted.retryAt === undefined ? undefined : new Date(persisted.retryAt);
  if (Number.isNaN(at.getTime()) || (retryAt !== undefined && Number.isNaN(retryAt.getTime())))
    return undefined;
  const count = typeof persisted.count === 'number' ? persisted.count : 1;
  return { request: persisted.request, at, count, ...(retryAt === undefined ? {} : { retryAt }) };
}

/** The part of status the annotation keeps, for an object without status. */
function restoredStatus(state: PersistedState): HCloudMachineStatus {
  return defined({
    bootState: state.bootState,
    bootStateSince: state.bootStateSince,
    externalIDs: state.externalIDs,
  }) as HCloudMachineStatus;
}

/** The annotation's JSON for `status` (compared as text to skip needless writes). */
export function stateAnnotationOf(status: MachineStatus): string {
  const state: PersistedState = defined({
    bootState: status.bootState,
    bootStateSince: status.bootStateSince?.toISOString(),
    externalIDs: status.externalIDs,
    rescueHostKey: status.rescueHostKey,
    leftRescueHostKey: status.leftRescueHostKey,
    serverRequested: status.serverRequested,
    rescueResets: status.rescueResets,
    createRejection: persistRejection(status.createRejection),
    consecutiveErrors: status.consecutiveErrors,
    conditions: status.conditions ?? {},
    stateHistory: persistHistory(status.stateHistory),
  } as PersistedState);
  return JSON.stringify(state);
}

/** Writes the core's status into the HCloudMachine status draft (both condition formats). */
export function writeStatus(
  draft: StatusOf<HCloudMachineObject>,
  status: MachineStatus,
  generation: number | undefined,
): void {
  const target = draft as HCloudMachineStatus;
  target.bootState = status.bootState;
  if (status.bootStateSince) target.bootStateSince = status.bootStateSince.toISOString();
  if (status.externalIDs) target.externalIDs = { ...status.externalIDs };
  if (status.addresses) target.addresses = status.addresses.map((address) => ({ ...address }));
  if (status.instanceState) target.instanceState = status.instanceState;
  if (status.ready !== undefined) target.ready = status.ready;
  if (status.sshKeys) target.sshKeys = status.sshKeys.map((name) => ({ name }));
  const conditions = status.conditions ?? {};
  target.conditions = toV1beta1Conditions(conditions);
  target.v1beta2 = { conditions: toV1beta2Conditions(conditions, generation) };
}
