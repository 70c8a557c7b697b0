import type { CommandReport } from '../image-url/command-report.js';
import type { StepResult as EngineStepResult } from '../state-machine/index.js';
import type { BootState } from './boot-state.js';
import type { ConditionChange } from './conditions.js';
import type { CreateRejection, ExternalIDs, MachineAddress, MachineStatus } from './machine.js';
import type { ConditionReason } from './reasons.js';

export { toRequeue, type Requeue, type RequeueContext } from '../state-machine/index.js';

/**
 * What one handler call found and wants (the engine's union, see src/state-machine/step-result.ts):
 * `continue`, `advance` (to a boot state), `failed` (→ ProvisioningFailed, the reason's
 * condition False, remediation), `blocked`, `error` (backoff). Handlers never write status
 * themselves; the engine applies the result and is the only writer of bootState.
 */
export type StepResult = EngineStepResult<BootState, ConditionReason, StatusChanges, CommandReport>;

/** The status a handler wants changed; everything absent stays as it is. */
export interface StatusChanges {
  /** `hcloud://<id>`. */
  readonly providerID?: string;
  /** Merged key by key; ACTION_DONE (-1) marks a finished action, 0 clears. */
  readonly externalIDs?: ExternalIDs;
  readonly addresses?: readonly MachineAddress[];
  readonly instanceState?: NonNullable<MachineStatus['instanceState']>;
  readonly ready?: boolean;
  readonly sshKeys?: readonly string[];
  /** A fingerprint pins the rescue boot's host key; null forgets it (the rescue boot is over). */
  readonly rescueHostKey?: string | null;
  /** The rescue boot's key once it was left (to tell the installed OS from a fallback); null forgets it. */
  readonly leftRescueHostKey?: string | null;
  readonly serverRequested?: boolean;
  readonly rescueResets?: number;
  readonly createRejection?: CreateRejection;
  readonly conditions?: readonly ConditionChange[];
}
