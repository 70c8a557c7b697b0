import {
  timeoutMsOf as engineTimeoutMsOf,
  type StateSpec as EngineStateSpec,
  type StateTimeout as EngineStateTimeout,
} from '../state-machine/index.js';
import type { BootState } from './boot-state.js';
import { IMAGE_URL_COMMAND_TIMEOUT_MS } from '../image-url/command-timeout.js';
import { hcloudTimedOutReport } from './command-timeout.js';
import { handleBootingToRealOS } from './handlers/booting-to-real-os.js';
import { handleBootingToRescue } from './handlers/booting-to-rescue.js';
import { handleEnablingRescue } from './handlers/enabling-rescue.js';
import { handleInitializing } from './handlers/initializing.js';
import { handleOperatingSystemRunning } from './handlers/operating-system-running.js';
import { handleProvisioningFailed } from './handlers/provisioning-failed.js';
import { handleRunningImageCommand } from './handlers/running-image-command.js';
import { handleUnset } from './handlers/unset.js';
import type { BootMachineTypes } from './step-context.js';

const minute = 60_000;

/**
 * One boot state: the engine's state spec (summary, handler, timeout measured from
 * bootStateSince, next states) plus the hcloud preamble flag.
 */
export interface StateSpec extends EngineStateSpec<BootMachineTypes> {
  /** CAPH's preamble: the state's clock starts only once the bootstrap data exists. */
  readonly waitsForBootstrapData?: true;
}

export type StateTimeout = EngineStateTimeout<BootMachineTypes>;

const failed = 'ProvisioningFailed';

/** The hcloud image-url boot state machine (CAPH behaviour doc §3), as data. */
export const bootStateTable = {
  '': {
    summary: 'Check the rescue key and the command, then create the server powered off.',
    handler: handleUnset,
    handlerFile: 'handlers/unset.ts',
    timeout: {
      defaultMs: 6 * minute,
      reason: { type: 'ServerCreated', reason: 'BootStateUnsetTimedOut' },
      text: 'boot state unset timed out',
    },
    next: ['Initializing', failed],
    waitsForBootstrapData: true,
  },
  Initializing: {
    summary: 'Wait for the create action, then enable the rescue system.',
    handler: handleInitializing,
    handlerFile: 'handlers/initializing.ts',
    timeout: {
      defaultMs: 6 * minute,
      reason: { type: 'ServerProvisioned', reason: 'BootStateInitializingTimedOut' },
      text: 'boot state initializing timed out',
    },
    next: ['EnablingRescue', failed],
  },
  EnablingRescue: {
    summary: 'Wait for the enable-rescue action, then power the server on (reset it when running).',
    handler: handleEnablingRescue,
    handlerFile: 'handlers/enabling-rescue.ts',
    timeout: {
      defaultMs: 6 * minute,
      reason: { type: 'ServerProvisioned', reason: 'EnablingRescueTimedOut' },
      text: 'enabling rescue system timed out',
    },
    next: ['BootingToRescue', failed],
  },
  BootingToRescue: {
    summary: 'Wait for SSH and hostname `rescue`, pin the host key, start the command once.',
    handler: handleBootingToRescue,
    handlerFile: 'handlers/booting-to-rescue.ts',
    timeout: {
      defaultMs: 6 * minute,
      reason: { type: 'ServerProvisioned', reason: 'BootingToRescueTimedOut' },
      text: 'reaching rescue system timed out',
    },
    next: ['RunningImageCommand', failed],
  },
  RunningImageCommand: {
    summary: 'Poll the command; show output.json; success → event + next, failure → event + failed.',
    handler: handleRunningImageCommand,
    handlerFile: 'handlers/running-image-command.ts',
    timeout: {
      defaultMs: IMAGE_URL_COMMAND_TIMEOUT_MS,
      reason: { type: 'ServerProvisioned', reason: 'RunningImageURLCommandTimedOut' },
      text: 'image URL command timed out',
      report: hcloudTimedOutReport,
    },
    next: ['BootingToRealOS', failed],
  },
  BootingToRealOS: {
    summary: 'Reboot out of rescue, wait for the server to run; then ready.',
    handler: handleBootingToRealOS,
    handlerFile: 'handlers/booting-to-real-os.ts',
    timeout: {
      defaultMs: 6 * minute,
      reason: { type: 'ServerProvisioned', reason: 'BootingToRealOSTimedOut' },
      text: 'booting to real OS timed out',
    },
    next: ['OperatingSystemRunning', failed],
  },
  OperatingSystemRunning: {
    summary: 'Keep addresses and state current; a vanished server fails the machine.',
    handler: handleOperatingSystemRunning,
    handlerFile: 'handlers/operating-system-running.ts',
    next: [failed],
  },
  ProvisioningFailed: {
    summary: 'Terminal: the owner Machine carries the remediation annotation.',
    handler: handleProvisioningFailed,
    handlerFile: 'handlers/provisioning-failed.ts',
    next: [],
  },
} as const satisfies Record<BootState, StateSpec>;

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
