import {
  hostErrorTypes,
  isHostState,
  type HostErrorType,
  type HostRebootType,
  type HostStatus,
  type HostStorage,
} from '../../baremetal/index.js';
import type { RobotResetType } from '../../ports/robot-servers.js';
import type { Condition as CoreCondition } from '../../state-machine/index.js';
import { defined, parseStateAnnotation, reviveConditions } from '../shared/state-annotation.js';
import {
  persistHistory,
  reviveHistory,
  type PersistedStateChange,
} from '../shared/state-history-annotation.js';
import { toV1beta1HostConditions, toV1beta2HostConditions } from './conditions.js';
import { HOST_STATE_ANNOTATION, type BareMetalHostObject } from './types.js';

/** The annotation: what CAPH's spec.status has no field for, conditions lossless (reason keys). */
interface PersistedState {
  readonly provisioningStateSince?: string;
  readonly imageUrlCommandStartedAt?: string;
  readonly rescueHostKey?: string;
  readonly rescueHostKeysFromRobot?: readonly string[];
  readonly osHostKey?: string;
  readonly lastReboot?: HostRebootType;
  readonly rescueResets?: number;
  readonly rescueResetAt?: string;
  readonly conditions?: Record<string, CoreCondition>;
  readonly stateHistory?: readonly PersistedStateChange[];
}

type SpecStatus = NonNullable<BareMetalHostObject['spec']['status']>;

const errorTypes: ReadonlySet<string> = new Set(Object.values(hostErrorTypes));

const dateOf = (value: string | undefined): Date | undefined => (value ? new Date(value) : undefined);

function storageOf(status: SpecStatus): readonly HostStorage[] | undefined {
  return status.hardwareDetails?.storage?.map((disk) =>
    defined({
      sizeBytes: disk.sizeBytes ?? 0,
      sizeGB: disk.sizeGB ?? 0,
      wwn: disk.wwn,
      model: disk.model,
      serialNumber: disk.serialNumber,
    } as HostStorage),
  );
}

/** A count as stored; anything but a number is none. */
const countOf = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** Robot's host keys as stored; anything but a non-empty list of strings is none. */
function fingerprintsOf(value: unknown): readonly string[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value.every((entry) => typeof entry === 'string') ? value : undefined;
}

/** The core's HostStatus from the host's spec.status and the bookkeeping annotation. */
export function readHostStatus(host: BareMetalHostObject): HostStatus {
  const status: SpecStatus = host.spec.status ?? { hetznerClusterRef: '', errorCount: 0 };
  const state = parseStateAnnotation(host.metadata.annotations?.[HOST_STATE_ANNOTATION]) as PersistedState;
  const storage = storageOf(status);
  const rescueKey = status.sshStatus?.rescueKey;
  return defined({
    provisioningState: isHostState(status.provisioningState) ? status.provisioningState : '',
    ipv4: status.ipv4,
    ipv6: status.ipv6,
    rebootTypes: status.rebootTypes as RobotResetType[] | undefined,
    rebootTriggeredAt: dateOf(status.rebootTriggeredAt),
    hardwareDetails: storage ? { storage } : undefined,
    sshStatus: rescueKey
      ? { rescueKey: { name: rescueKey.name, fingerprint: rescueKey.fingerprint ?? '' } }
      : undefined,
    errorType: errorTypes.has(status.errorType ?? '') ? (status.errorType as HostErrorType) : undefined,
    errorMessage: status.errorMessage,
    errorCount: status.errorCount,
    conditions: reviveConditions(state.conditions),
    provisioningStateSince: dateOf(state.provisioningStateSince),
    imageUrlCommandStartedAt: dateOf(state.imageUrlCommandStartedAt),
    rescueHostKey: state.rescueHostKey,
    rescueHostKeysFromRobot: fingerprintsOf(state.rescueHostKeysFromRobot),
    osHostKey: state.osHostKey,
    lastReboot: state.lastReboot,
    rescueResets: countOf(state.rescueResets),
    rescueResetAt: dateOf(state.rescueResetAt),
    stateHistory: reviveHistory(state.stateHistory, isHostState),
  } as HostStatus);
}

/** The annotation's JSON for `status` (compared as text to skip needless writes). */
export function hostStateAnnotationOf(status: HostStatus): string {
  const state: PersistedState = defined({
    provisioningStateSince: status.provisioningStateSince?.toISOString(),
    imageUrlCommandStartedAt: status.imageUrlCommandStartedAt?.toISOString(),
    rescueHostKey: status.rescueHostKey,
    rescueHostKeysFromRobot: status.rescueHostKeysFromRobot,
    osHostKey: status.osHostKey,
    lastReboot: status.lastReboot,
    rescueResets: status.rescueResets,
    rescueResetAt: status.rescueResetAt?.toISOString(),
    conditions: status.conditions ?? {},
    stateHistory: persistHistory(status.stateHistory),
  } as PersistedState);
  return JSON.stringify(state);
}

/**
 * The spec.status fields this controller owns, as a merge patch: every one of them, null where
 * the core cleared it. installImage, userData, sshSpec and hetznerClusterRef are the
 * HetznerBareMetalMachine's and never written here. sshStatus.rescueKey only: the machine
 * clears sshStatus as a whole on release.
 */
export function ownedSpecStatus(status: HostStatus): Record<string, unknown> {
  const conditions = status.conditions ?? {};
  return {
    provisioningState: status.provisioningState,
    ...addressFields(status),
    ...rebootFields(status),
    hardwareDetails: hardwareOf(status),
    sshStatus: { rescueKey: status.sshStatus?.rescueKey ? { ...status.sshStatus.rescueKey } : null },
    errorType: status.errorType ?? null,
    errorMessage: status.errorMessage ?? null,
    errorCount: status.errorCount ?? 0,
    conditions: toV1beta1HostConditions(conditions),
    v1beta2: { conditions: toV1beta2HostConditions(conditions) },
  };
}

function addressFields(status: HostStatus): Record<string, unknown> {
  return { ipv4: status.ipv4 ?? null, ipv6: status.ipv6 ?? null };
}

function rebootFields(status: HostStatus): Record<string, unknown> {
  return {
    rebootTypes: status.rebootTypes ? [...status.rebootTypes] : null,
    rebootTriggeredAt: status.rebootTriggeredAt?.toISOString() ?? null,
  };
}

function hardwareOf(status: HostStatus): object | null {
  const storage = status.hardwareDetails?.storage;
  return storage ? { storage: storage.map((disk) => ({ ...disk })) } : null;
}
