import { IMAGE_URL_COMMAND_TIMEOUT_MS } from '../image-url/command-timeout.js';
import {
  timeoutMsOf as engineTimeoutMsOf,
  type StateSpec as EngineStateSpec,
  type StateTimeout as EngineStateTimeout,
  type TimeoutReport,
} from '../state-machine/index.js';
import type { BootState } from './boot-state.js';
import { hcloudTimedOutReport } from './command-timeout.js';
import { handleBootingToRealOS } from './handlers/booting-to-real-os.js';
import { handleBootingToRescue } from './handlers/booting-to-rescue.js';
import { handleEnablingRescue } from './handlers/enabling-rescue.js';
import { handleInitializing } from './handlers/initializing.js';
import { handleOperatingSystemRunning } from './handlers/operating-system-running.js';
import { handleProvisioningFailed } from './handlers/provisioning-failed.js';
import { handleRunningImageCommand } from './handlers/running-image-command.js';
import { createDueSince } from './create-rejection.js';
import { handleUnset } from './handlers/unset.js';
import { retryRescueBoot } from './rescue-boot-retry.js';
import { hcloudReasons, type ConditionReason } from './reasons.js';
import type { BootMachineTypes } from './step-context.js';

/** One boot state: the engine's state spec plus the hcloud preamble flag. */
export interface StateSpec extends EngineStateSpec<BootMachineTypes> {
  /** CAPH's preamble: the state's clock starts only once the bootstrap data exists. */
  readonly waitsForBootstrapData?: true;
}

export type StateTimeout = EngineStateTimeout<BootMachineTypes>;

const { ServerCreated: created, ServerProvisioned: provisioned } = hcloudReasons;

/** Each state's TimedOut reason with CAPH's message (`<text>, in this state since 6m1s`). */
// prettier-ignore
const timedOut = {
  unset:           { reason: created.BootStateUnsetTimedOut,             text: 'boot state unset timed out' },
  initializing:    { reason: provisioned.BootStateInitializingTimedOut,  text: 'boot state initializing timed out' },
  enablingRescue:  { reason: provisioned.EnablingRescueTimedOut,         text: 'enabling rescue system timed out' },
  bootingToRescue: { reason: provisioned.BootingToRescueTimedOut,        text: 'reaching rescue system timed out' },
  imageCommand:    { reason: provisioned.RunningImageURLCommandTimedOut, text: 'image URL command timed out' },
  bootingToRealOS: { reason: provisioned.BootingToRealOSTimedOut,        text: 'booting to real OS timed out' },
} as const satisfies Record<string, { readonly reason: ConditionReason; readonly text: string }>;

/** A timeout of `defaultMs` that fails the machine with `reason` (and CAPH's message for it). */
function after(defaultMs: number, { reason, text }: (typeof timedOut)[keyof typeof timedOut]): StateTimeout {
  return { defaultMs, reason, text };
}

const sixMin = 6 * 60_000;
/** From the state's start, or from when a create Hetzner had rejected became due again. */
const unsetTimeout: StateTimeout = {
  ...after(sixMin, timedOut.unset),
  clock: { from: 'start, or a rejected create becoming due', since: createDueSince },
};
/** A rescue boot that does not answer in time is power-cycled a few times before this fails. */
const rescueBootTimeout: StateTimeout = {
  ...after(sixMin, timedOut.bootingToRescue),
  retry: retryRescueBoot,
};
const command = IMAGE_URL_COMMAND_TIMEOUT_MS;
const failed = 'ProvisioningFailed';

/**
 * The hcloud boot state machine as data (the image-URL flow goes through rescue and the command;
 * the imageName flow goes from the unset state straight to BootingToRealOS): per state its handler, timeout (measured
 * from bootStateSince, with the state's own TimedOut reason) and allowed next states. CAPH's
 * flow is `pkg/services/hcloud/server/server.go`; summaries for the docs: state-machine-doc.ts.
 */
// prettier-ignore
export const bootStateTable = {
  '':                     { handler: handleUnset,                  timeout: unsetTimeout,                           next: ['Initializing', 'BootingToRealOS', failed], waitsForBootstrapData: true },
  Initializing:           { handler: handleInitializing,           timeout: after(sixMin, timedOut.initializing),    next: ['EnablingRescue', failed] },
  EnablingRescue:         { handler: handleEnablingRescue,         timeout: after(sixMin, timedOut.enablingRescue),  next: ['BootingToRescue', failed] },
  BootingToRescue:        { handler: handleBootingToRescue,        timeout: rescueBootTimeout,                      next: ['RunningImageCommand', 'EnablingRescue', failed] },
  RunningImageCommand:    { handler: handleRunningImageCommand,    timeout: after(command, timedOut.imageCommand),   next: ['BootingToRealOS', failed] },
  BootingToRealOS:        { handler: handleBootingToRealOS,        timeout: after(sixMin, timedOut.bootingToRealOS), next: ['OperatingSystemRunning', failed] },
  OperatingSystemRunning: { handler: handleOperatingSystemRunning,                                                   next: [failed] },
  ProvisioningFailed:     { handler: handleProvisioningFailed,                                                       next: [] },
} as const satisfies Record<BootState, StateSpec>;

/** What a timed-out state reports besides its message: the command's output for its Warning event. */
export const bootTimeoutReports: Partial<Record<BootState, TimeoutReport<BootMachineTypes>>> = {
  RunningImageCommand: hcloudTimedOutReport,
};

export function stateSpecOf(state: BootState): StateSpec {
  return bootStateTable[state];
}

/** The state's timeout after settings overrides, or undefined when it has none. */
export function timeoutMsOf(
  state: BootState,
  overrides: Readonly<Partial<Record<BootState, number>>>,
): number | undefined {
  return engineTimeoutMsOf(stateSpecOf(state), overrides[state]);
}
