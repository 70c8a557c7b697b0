import type { MachineEvent } from '../ports/event-sink.js';
import type { CommandLogTail } from '../ports/rescue-system.js';
import type { BootState } from './boot-state.js';
import type { ConditionChange } from './conditions.js';
import type { ExternalIDs, MachineAddress, MachineStatus } from './machine.js';
import type { ConditionReason } from './reasons.js';

/**
 * What one handler call found and wants. Handlers never write status themselves: they return
 * one of these and the dispatcher applies it (and is the only writer of bootState).
 *
 * - `continue`: stay in this state, look again after `after` ms.
 * - `advance`: move to `to` (must be one of the state's `next`), look again after `after` ms.
 * - `failed`: terminal; the dispatcher moves to ProvisioningFailed, sets the reason's condition
 *   False and asks for remediation (CAPH's SetErrorAndRemediate).
 * - `blocked`: nothing to retry until something outside changes (spec, secret, token); no requeue.
 * - `error`: something failed that may work next time; retried with backoff.
 */
export type StepResult =
  | (StepExtras & { readonly kind: 'continue'; readonly after: number })
  | (StepExtras & {
      readonly kind: 'advance';
      readonly to: BootState;
      readonly after?: number;
      readonly command?: CommandReport;
    })
  | (StepExtras & {
      readonly kind: 'failed';
      readonly reason: ConditionReason;
      readonly message: string;
      readonly command?: CommandReport;
    })
  | (StepExtras & { readonly kind: 'blocked' })
  | (StepExtras & { readonly kind: 'error'; readonly cause: unknown });

interface StepExtras {
  /** A short progress note for logs and the CLI (conditions carry their own message). */
  readonly message?: string;
  readonly changes?: StatusChanges;
  /** Events besides the ones the dispatcher derives itself (transitions, command outcome). */
  readonly events?: readonly MachineEvent[];
}

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

export type Requeue =
  | { readonly kind: 'after'; readonly ms: number }
  | { readonly kind: 'backoff'; readonly ms: number; readonly cause: unknown }
  | { readonly kind: 'none' };

export interface RequeueContext {
  /** Errors in a row, this one included (for `error` results). */
  readonly errorCount: number;
  /** Time left before the state's timeout; a later look is moved to just after it. */
  readonly msUntilTimeout?: number;
  readonly backoff: { readonly baseMs: number; readonly capMs: number };
}

/**
 * The one place a step result becomes "when to look again".
 *
 * `error` backs off exponentially from `backoff.baseMs`, capped at `backoff.capMs`. With the
 * defaults (1 s, cap 60 s):
 *
 * | errors in a row | 1   | 2   | 3   | 4   | 5    | 6    | 7 and more |
 * |-----------------|-----|-----|-----|-----|------|------|------------|
 * | delay           | 1 s | 2 s | 4 s | 8 s | 16 s | 32 s | 60 s       |
 *
 * The cap is low on purpose: the per-state timeouts (6–7 min) must still fire close to their
 * deadline. `continue`/`advance` wait as they say; any wait longer than the time left before
 * the state's timeout is cut to end just after it, so a timeout never waits for an unrelated event.
 * `failed` and `blocked` do not requeue.
 */
export function toRequeue(result: StepResult, context: RequeueContext): Requeue {
  switch (result.kind) {
    case 'continue':
      return { kind: 'after', ms: clamp(result.after, context) };
    case 'advance':
      return { kind: 'after', ms: Math.max(1, result.after ?? 1) };
    case 'error':
      return { kind: 'backoff', ms: clamp(backoffMs(context), context), cause: result.cause };
    case 'failed':
    case 'blocked':
      return { kind: 'none' };
  }
}

function backoffMs(context: RequeueContext): number {
  const exponent = Math.min(Math.max(context.errorCount, 1) - 1, 30);
  return Math.min(context.backoff.baseMs * 2 ** exponent, context.backoff.capMs);
}

function clamp(ms: number, context: RequeueContext): number {
  const untilTimeout = context.msUntilTimeout;
  const wanted = untilTimeout === undefined ? ms : Math.min(ms, Math.max(0, untilTimeout) + 1);
  return Math.max(1, Math.round(wanted));
}
