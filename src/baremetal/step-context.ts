import type { RescueSystem } from '../ports/rescue-system.js';
import type { RobotServers } from '../ports/robot-servers.js';
import type { CommandResolver } from '../ports/command-resolver.js';
import type { CommandReport } from '../image-url/command-report.js';
import type { MachineTypes, StepResult } from '../state-machine/index.js';
import type {
  HostErrorType,
  HostInput,
  HostStatus,
  HostStorage,
  RobotKeyRef,
  HostRebootType,
} from './host.js';
import type { HostState } from './host-state.js';
import type { HostConditionChange, HostConditionReason } from './reasons.js';
import type { BareMetalSettings } from './settings.js';

/** What a handler sees: the host, its status as stored, the time, the ports and the settings. */
export interface HostStepContext {
  readonly input: HostInput;
  /** As stored before this call; handlers re-observe the world instead of trusting it blindly. */
  readonly status: HostStatus;
  /** One instant per call, so every decision in a call agrees on the time. */
  readonly now: Date;
  readonly robot: RobotServers;
  readonly rescue: RescueSystem;
  readonly commands: CommandResolver;
  readonly settings: BareMetalSettings;
}

/**
 * The status a handler wants changed; absent stays, `null` clears. The state, its start and
 * the error bookkeeping are the engine's and the machine's, not in here.
 */
export interface HostStatusChanges {
  readonly ipv4?: string | null;
  readonly ipv6?: string | null;
  readonly rebootTypes?: HostStatus['rebootTypes'] | null;
  readonly rebootTriggeredAt?: Date | null;
  readonly lastReboot?: HostRebootType | null;
  readonly rescueResets?: number | null;
  readonly rescueResetAt?: Date | null;
  readonly storage?: readonly HostStorage[] | null;
  readonly rescueKey?: RobotKeyRef | null;
  readonly imageUrlCommandStartedAt?: Date | null;
  /** A fingerprint pins the rescue boot's host key; null forgets it (the rescue boot is over). */
  readonly rescueHostKey?: string | null;
  /** Robot's host keys for the armed activation; null forgets them (the rescue boot is over). */
  readonly rescueHostKeysFromRobot?: readonly string[] | null;
  /** Pins the installed OS's host key for this boot; null forgets it (a new boot). */
  readonly osHostKey?: string | null;
  readonly errorType?: HostErrorType | null;
  readonly errorMessage?: string | null;
  /** Changes to apply, or null to drop every condition (a host back to available). */
  readonly conditions?: readonly HostConditionChange[] | null;
}

/** One host step's result (the engine's union, see src/state-machine/step-result.ts). */
export type HostStepResult = StepResult<HostState, HostConditionReason, HostStatusChanges, CommandReport>;

/** The bare-metal host machine's types, as the state-machine engine is parameterized with them. */
export interface HostMachineTypes extends MachineTypes {
  readonly state: HostState;
  readonly context: HostStepContext;
  readonly status: HostStatus;
  readonly failure: HostConditionReason;
  readonly changes: HostStatusChanges;
  readonly report: CommandReport;
}

export type HostStepHandler = (ctx: HostStepContext) => Promise<HostStepResult>;
