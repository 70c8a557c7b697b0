import type { MachineEvent } from '../ports/event-sink.js';
import { commandEvent } from '../image-url/command-events.js';
import { commandSecrets } from '../image-url/command-secrets.js';
import { messageOf } from '../image-url/errors.js';
import { redactSecrets } from '../image-url/text-tail.js';
import type { Machine, StatusAccess, Transition } from '../state-machine/index.js';
import { applyHostChanges } from './apply-status.js';
import { hostResultOfThrown } from './failures.js';
import { hostGate } from './gates.js';
import {
  hostErrorTypes,
  isFatalErrorType,
  type HostErrorType,
  type HostInput,
  type HostStatus,
} from './host.js';
import type { HostState } from './host-state.js';
import { applyHostConditionChanges, hostConditionFalse, provisionReasons } from './reasons.js';
import type { BareMetalSettings } from './settings.js';
import type { HostMachineTypes, HostStatusChanges, HostStepResult } from './step-context.js';
import { hostStateTable, hostTimeoutReports } from './states.js';

/** A change of provisioningState, as the engine records it (once per change). */
export type HostTransition = Transition<HostState>;

/** Where the host machine keeps its state in HostStatus (CAPH's provisioningState, errorCount). */
const hostStatus: StatusAccess<HostMachineTypes> = {
  state: (status) => status.provisioningState,
  since: (status) => status.provisioningStateSince,
  errorCount: (status) => status.errorCount ?? 0,
  history: (status) => status.stateHistory,
  write: (status, { state, since, errorCount, history }) => ({
    ...status,
    provisioningState: state,
    ...(since === undefined ? {} : { provisioningStateSince: since }),
    ...(errorCount === undefined ? {} : { errorCount }),
    ...(history === undefined ? {} : { stateHistory: history }),
  }),
};

/** CAPH's error type of an `error` in each state. */
const errorTypeOf: Readonly<Record<HostState, HostErrorType>> = {
  '': hostErrorTypes.provisioning,
  preparing: hostErrorTypes.preparation,
  registering: hostErrorTypes.registration,
  'image-installing': hostErrorTypes.provisioning,
  'ensure-provisioned': hostErrorTypes.provisioning,
  provisioned: hostErrorTypes.provisioning,
  deprovisioning: hostErrorTypes.provisioning,
};

/** Failures that say the server itself is unusable (CAPH: permanent error). */
const permanentReasons: ReadonlySet<string> = new Set(
  [provisionReasons.ServerNotFound, provisionReasons.ServerHasNoIPv4].map((ref) => ref.reason),
);

interface HostEnv {
  readonly input: HostInput;
  readonly settings: BareMetalSettings;
}

/** The bare-metal host machine for one reconcile: the table, CAPH's host preamble, its recording. */
export function hostMachine(env: HostEnv): Machine<HostMachineTypes> {
  const secrets = commandSecrets({
    registryToken: env.input.registryToken,
    imageUrl: env.input.request?.imageUrl ?? '',
  });
  return {
    table: hostStateTable,
    status: hostStatus,
    hold: hostGate,
    run: async (handler, ctx) => {
      try {
        return await handler(ctx);
      } catch (error) {
        return hostResultOfThrown(error, ctx);
      }
    },
    apply: (status, result, now) => applyResult(status, result, { now, secrets }),
    outcomeEvents: (result) => outcomeEvents(result, env.settings, secrets),
    timeoutReports: hostTimeoutReports,
  };
}

/**
 * The handler's changes on top of the error bookkeeping CAPH keeps in spec.status: `failed`
 * → fatal (or permanent) error with the reason's condition False; `error` → the state's error
 * type and message; anything else clears a non-fatal error.
 */
function applyResult(
  stored: HostStatus,
  result: HostStepResult,
  at: { readonly now: Date; readonly secrets: readonly string[] },
): HostStatus {
  const status = applyHostChanges(
    applyHostChanges(stored, errorChanges(stored, result, at.secrets), at.now),
    result.changes,
    at.now,
  );
  if (result.kind !== 'failed') return status;
  const failure = hostConditionFalse(result.reason, result.message, 'Error');
  return { ...status, conditions: applyHostConditionChanges(status.conditions ?? {}, [failure], at.now) };
}

function errorChanges(
  stored: HostStatus,
  result: HostStepResult,
  secrets: readonly string[],
): HostStatusChanges {
  switch (result.kind) {
    case 'failed':
      return {
        errorType: permanentReasons.has(result.reason.reason)
          ? hostErrorTypes.permanent
          : hostErrorTypes.fatal,
        errorMessage: redactSecrets(result.message, secrets),
      };
    case 'error':
      return {
        errorType: errorTypeOf[stored.provisioningState],
        errorMessage: redactSecrets(result.message ?? messageOf(result.cause), secrets),
      };
    default:
      return isFatalErrorType(stored.errorType) ? {} : { errorType: null, errorMessage: null };
  }
}

/** The command's event (output on success and failure); a failure without output names its reason. */
function outcomeEvents(
  result: HostStepResult,
  settings: BareMetalSettings,
  secrets: readonly string[],
): MachineEvent[] {
  if ((result.kind === 'advance' || result.kind === 'failed') && result.command) {
    return [commandEvent(result.command, { limitBytes: settings.eventMessageLimitBytes, secrets })];
  }
  if (result.kind === 'failed') {
    return [
      { type: 'Warning', reason: result.reason.reason, message: redactSecrets(result.message, secrets) },
    ];
  }
  return [];
}
