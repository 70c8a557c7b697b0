import type { CommandLogTail } from '../ports/rescue-system.js';
import type { StepResult as EngineStepResult } from '../state-machine/index.js';
import type { BootState } from './boot-state.js';
import type { ConditionChange } from './conditions.js';
import type { ExternalIDs, MachineAddress, MachineStatus } from './machine.js';
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
  readonly serverRequested?: boolean;
  readonly conditions?: readonly ConditionChange[];
}

/** How the image-url-command ended, for the spec's event (Normal on success, Warning otherwise). */
export interface CommandReport {
  readonly outcome: 'succeeded' | 'failed' | 'timed-out';
  /** One line: what happened (the output follows it in the event). */
  readonly summary: string;
  /** The combined stdout+stderr tail, already redacted by the rescue port. */
  readonly log?: CommandLogTail;
  /** Why there is no output (e.g. the rescue system did not answer at the timeout). */
  readonly unavailable?: string;
}
