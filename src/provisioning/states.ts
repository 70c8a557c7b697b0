import type { BootState } from './boot-state.js';
import { collectTimedOutCommand, type TimedOutOutput } from './command-timeout.js';
import { handleBootingToRealOS } from './handlers/booting-to-real-os.js';
import { handleBootingToRescue } from './handlers/booting-to-rescue.js';
import { handleEnablingRescue } from './handlers/enabling-rescue.js';
import { handleInitializing } from './handlers/initializing.js';
import { handleOperatingSystemRunning } from './handlers/operating-system-running.js';
import { handleProvisioningFailed } from './handlers/provisioning-failed.js';
import { handleRunningImageCommand } from './handlers/running-image-command.js';
import { handleUnset } from './handlers/unset.js';
import type { ConditionReason } from './reasons.js';
import type { StepContext, StepHandler } from './step-context.js';

const minute = 60_000;

/** One boot state: what runs in it, how long it may last, where it may lead. */
export interface StateSpec {
  /** One sentence for docs/state-machine.md. */
  readonly summary: string;
  readonly handler: StepHandler;
  /** Where the handler lives (docs). */
  readonly handlerFile: string;
  /** Absent: the state may last forever. Measured from bootStateSince, checked before any port call. */
  readonly timeout?: StateTimeout;
  /** The states a handler may move to (ProvisioningFailed for `failed` results and timeouts). */
  readonly next: readonly BootState[];
  /** CAPH's preamble: the state's clock starts only once the bootstrap data exists. */
  readonly waitsForBootstrapData?: true;
}

export interface StateTimeout {
  readonly defaultMs: number;
  /** The state's dedicated TimedOut reason, always (REC §3.2; CAPH may keep an older reason). */
  readonly reason: ConditionReason;
  /** Start of the message: `<text>, in this state since <duration>`. */
  readonly text: string;
  /** Best effort after the decision, e.g. fetch the command's output for the event. */
  readonly collectOutput?: (ctx: StepContext) => Promise<TimedOutOutput>;
}

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
      defaultMs: 7 * minute,
      reason: { type: 'ServerProvisioned', reason: 'RunningImageURLCommandTimedOut' },
      text: 'image URL command timed out',
      collectOutput: collectTimedOutCommand,
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
  const spec = stateSpecOf(state);
  return spec.timeout === undefined ? undefined : (overrides[state] ?? spec.timeout.defaultMs);
}
