import type { CloudServers } from '../ports/cloud-servers.js';
import type { RescueSystem } from '../ports/rescue-system.js';
import type { CommandResolver } from './command-resolver.js';
import type { MachineInput, MachineStatus } from './machine.js';
import type { ProvisioningSettings } from './settings.js';
import type { StepResult } from './step-result.js';

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
}

/** One boot state's behaviour. */
export type StepHandler = (ctx: StepContext) => Promise<StepResult>;
