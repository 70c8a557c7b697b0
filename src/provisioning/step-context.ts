import type { CloudServers } from '../ports/cloud-servers.js';
import type { RescueSystem } from '../ports/rescue-system.js';
import type { SshBanners } from '../ports/ssh-banners.js';
import type { SshHostKeys } from '../ports/ssh-host-keys.js';
import type { WaitBook } from './wait-book.js';
import type { MachineTypes } from '../state-machine/index.js';
import type { BootState } from './boot-state.js';
import type { CommandResolver } from '../ports/command-resolver.js';
import type { MachineInput, MachineStatus } from './machine.js';
import type { ConditionReason } from './reasons.js';
import type { ProvisioningSettings } from './settings.js';
import type { CommandReport } from '../image-url/command-report.js';
import type { StatusChanges, StepResult } from './step-result.js';

/** What a handler sees: the machine, its status as stored, the time, the ports and the settings. */
export interface StepContext {
  readonly input: MachineInput;
  /** As stored before this call; handlers re-observe the world instead of trusting it blindly. */
  readonly status: MachineStatus;
  /** One instant per call, so every decision in a call agrees on the time. */
  readonly now: Date;
  readonly cloud: CloudServers;
  readonly rescue: RescueSystem;
  readonly commands: CommandResolver;
  readonly settings: ProvisioningSettings;
  /** Planned looks and learned durations of this process (./wait-book.ts). */
  readonly waits: WaitBook;
  readonly banners?: SshBanners;
  /** Which host key a server's SSH shows, without a wait (after leaving rescue). */
  readonly hostKeys?: SshHostKeys;
  /** Reconciles this machine soon, from a background watch (absent: nobody can wake it). */
  readonly wake?: () => void;
}

/** One boot state's behaviour. */
export type StepHandler = (ctx: StepContext) => Promise<StepResult>;

/** The hcloud boot machine's types, as the state-machine engine is parameterized with them. */
export interface BootMachineTypes extends MachineTypes {
  readonly state: BootState;
  readonly context: StepContext;
  readonly status: MachineStatus;
  readonly failure: ConditionReason;
  readonly changes: StatusChanges;
  readonly report: CommandReport;
}
