import type { MachineEvent } from '../ports/event-sink.js';
import { exponentialDelayMs } from '../util/backoff.js';

/**
 * The types one state machine is made of, bundled so every engine function takes a single type
 * parameter. The hcloud boot machine and the bare-metal host machine each declare one of these.
 */
export interface MachineTypes {
  /** The state values (a string union; `''` is allowed, as CAPH's first states are empty). */
  readonly state: string;
  /** What a handler sees (the subject, its status, ports, settings, the time). */
  readonly context: unknown;
  /** The persisted status the engine reads the state from and writes it into. */
  readonly status: unknown;
  /** What a `failed` result names: a condition reason (its `reason` is reported with the transition). */
  readonly failure: FailureReason;
  /** The status changes a handler may ask for (the machine's `apply` knows how to write them). */
  readonly changes: unknown;
  /** What a result that ends the command reports (its output, for the command's events). */
  readonly report: unknown;
}

export interface FailureReason {
  readonly type: string;
  readonly reason: string;
}

/**
 * What one handler call found and wants. Handlers never write status themselves: they return
 * one of these and the engine applies it (and is the only writer of the state).
 *
 * - `continue`: stay in this state, look again after `after` ms.
 * - `advance`: move to `to` (must be one of the state's `next`), look again after `after` ms.
 * - `failed`: terminal for this attempt; the machine decides what that writes (hcloud: move to
 *   ProvisioningFailed; bare metal: a fatal error on the host) and the engine does not requeue.
 * - `blocked`: nothing to retry until something outside changes (spec, secret, token); no requeue.
 * - `error`: something failed that may work next time; retried with backoff.
 */
export type StepResult<State, Failure, Changes, Report> =
  | (StepExtras<Changes> & { readonly kind: 'continue'; readonly after: number })
  | (StepExtras<Changes> & {
      readonly kind: 'advance';
      readonly to: State;
      readonly after?: number;
      readonly command?: Report;
    })
  | (StepExtras<Changes> & {
      readonly kind: 'failed';
      readonly reason: Failure;
      readonly message: string;
      readonly command?: Report;
    })
  | (StepExtras<Changes> & { readonly kind: 'blocked' })
  | (StepExtras<Changes> & { readonly kind: 'error'; readonly cause: unknown });

export interface StepExtras<Changes> {
  /** A short progress note for logs and the CLI (conditions carry their own message). */
  readonly message?: string;
  readonly changes?: Changes;
  /** Events besides the ones the engine derives itself (outcome events of the machine). */
  readonly events?: readonly MachineEvent[];
}

/** The step result of machine `M`. */
export type ResultOf<M extends MachineTypes> = StepResult<
  M['state'],
  M['failure'],
  M['changes'],
  M['report']
>;

/** Any machine's step result (what the requeue rule needs to know of it). */
export type AnyStepResult = StepResult<string, unknown, unknown, unknown>;

export type Requeue =
  | { readonly kind: 'after'; readonly ms: number }
  | { readonly kind: 'backoff'; readonly ms: number; readonly cause: unknown }
  | { readonly kind: 'none' };

export interface BackoffSettings {
  readonly baseMs: number;
  readonly capMs: number;
}

export interface RequeueContext {
  /** Errors in a row, this one included (for `error` results). */
  readonly errorCount: number;
  /** Time left before the state's timeout; a later look is moved to just after it. */
  readonly msUntilTimeout?: number;
  readonly backoff: BackoffSettings;
}

/**
 * The one place a step result becomes "when to look again".
 *
 * `error` backs off exponentially from `backoff.baseMs`, capped at `backoff.capMs` (the shared
 * `exponentialDelayMs` of src/util/backoff.ts, step = errors in a row - 1). With the
 * defaults of both machines (1 s, cap 60 s):
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
export function toRequeue(result: AnyStepResult, context: RequeueContext): Requeue {
  switch (result.kind) {
    case 'continue':
      return { kind: 'after', ms: clamp(result.after, context) };
    case 'advance':
      return { kind: 'after', ms: Math.max(1, result.after ?? 1) };
    case 'error':
      return {
        kind: 'backoff',
        ms: clamp(exponentialDelayMs(context.backoff, context.errorCount - 1), context),
        cause: result.cause,
      };
    case 'failed':
    case 'blocked':
      return { kind: 'none' };
  }
}

function clamp(ms: number, context: RequeueContext): number {
  const untilTimeout = context.msUntilTimeout;
  const wanted = untilTimeout === undefined ? ms : Math.min(ms, Math.max(0, untilTimeout) + 1);
  return Math.max(1, Math.round(wanted));
}
