import type { MachineEvent } from '../ports/event-sink.js';
import type { StateChange } from './state-history.js';
import type { MachineTypes, ResultOf } from './step-result.js';

/**
 * One state of a machine: what runs in it, how long it may last, where it may lead. A machine
 * is a `Record<State, StateSpec>`, one line per state: the engine only looks states up, it never
 * switches on them. What the docs say of a state lives beside the table, not in it.
 */
export interface StateSpec<M extends MachineTypes> {
  readonly handler: (ctx: M['context']) => Promise<ResultOf<M>>;
  /** Absent: the state may last forever. Checked before the handler, so before any port call. */
  readonly timeout?: StateTimeout<M>;
  /** The states a handler may move to (a machine's failed state included where it has one). */
  readonly next: readonly M['state'][];
}

export interface StateTimeout<M extends MachineTypes> {
  readonly defaultMs: number;
  /** The state's dedicated TimedOut reason, always (CAPH may keep an older reason). */
  readonly reason: M['failure'];
  /** Start of the message: `<text>, in this state since <duration>` (unless `format` says otherwise). */
  readonly text: string;
  /** The whole message from the elapsed time in Go's notation (`7m1s`). */
  readonly format?: (elapsed: string) => string;
  /** Where the limit counts from when not from the state's own start. */
  readonly clock?: TimeoutClock<M>;
  /**
   * Another try instead of failing once the limit is reached: given the failure the timeout
   * means, it returns that failure (its words may grow) or a result that starts the state over
   * (it must restart the clock: move the state, or what `clock.since` reads). Run like a handler.
   */
  readonly retry?: TimeoutRetry<M>;
}

/** A failed result, as a timeout makes it. */
export type FailedResultOf<M extends MachineTypes> = Extract<ResultOf<M>, { readonly kind: 'failed' }>;

export type TimeoutRetry<M extends MachineTypes> = (
  ctx: M['context'],
  expiry: { readonly failure: FailedResultOf<M>; readonly limitMs: number },
) => Promise<ResultOf<M>>;

/** Best effort after a timeout was decided, e.g. stop the command and fetch its output for the event. */
export type TimeoutReport<M extends MachineTypes> = (
  ctx: M['context'],
  message: string,
) => Promise<M['report']>;

/**
 * A clock other than "time in this state": the bare-metal command timeout counts from the
 * command's own start, so the minutes spent reaching the rescue system do not eat into it.
 */
export interface TimeoutClock<M extends MachineTypes> {
  /** For the docs: what the limit counts from, e.g. "the command's start". */
  readonly from: string;
  /** That instant, or undefined while it has not happened (then the state's start counts). */
  readonly since: (ctx: M['context']) => Date | undefined;
}

export type StateTable<M extends MachineTypes> = Readonly<Record<M['state'], StateSpec<M>>>;

/** The state's timeout after an override, or undefined when it has none. */
export function timeoutMsOf<M extends MachineTypes>(
  spec: StateSpec<M>,
  overrideMs: number | undefined,
): number | undefined {
  return spec.timeout === undefined ? undefined : (overrideMs ?? spec.timeout.defaultMs);
}

/** How a machine reads and writes its state, the state's start and the errors in a row. */
export interface StatusAccess<M extends MachineTypes> {
  readonly state: (status: M['status']) => M['state'];
  readonly since: (status: M['status']) => Date | undefined;
  readonly errorCount: (status: M['status']) => number;
  /** The recorded state changes, oldest first (state-history.ts). */
  readonly history: (status: M['status']) => readonly StateChange<M['state']>[] | undefined;
  /** The status with these written; an absent `since`, `errorCount` or `history` leaves the stored one. */
  readonly write: (
    status: M['status'],
    written: {
      readonly state: M['state'];
      readonly since?: Date;
      readonly errorCount?: number;
      readonly history?: readonly StateChange<M['state']>[];
    },
  ) => M['status'];
}

/** One state machine, as the dispatcher runs it: its table, its status, two hooks, its recording. */
export interface Machine<M extends MachineTypes> {
  readonly table: StateTable<M>;
  readonly status: StatusAccess<M>;
  /**
   * Checked before the state's clock starts: a result here holds the subject, and it never times
   * out. It may look at the world (a port call) and must then turn what it throws into a result.
   */
  readonly hold?: (
    state: M['state'],
    ctx: M['context'],
  ) => ResultOf<M> | undefined | Promise<ResultOf<M> | undefined>;
  /** Calls the state's handler (after the timeout check) and turns what it throws into a result. */
  readonly run: (
    handler: StateSpec<M>['handler'],
    ctx: M['context'],
    state: M['state'],
  ) => Promise<ResultOf<M>>;
  /** Where a `failed` result leads; without one the state stays and `apply` records the failure. */
  readonly failedState?: M['state'];
  /** The stored status with a result's changes (and failure) applied; never the state itself. */
  readonly apply: (status: M['status'], result: ResultOf<M>, now: Date) => M['status'];
  /** The events of a result that ends something (`advance`, `failed`): command output, remediation. */
  readonly outcomeEvents?: (result: ResultOf<M>) => readonly MachineEvent[];
  /** Per state whose timeout says more than its message: what the `failed` result reports. */
  readonly timeoutReports?: Readonly<Partial<Record<M['state'], TimeoutReport<M>>>>;
}

/** A change of state, as the dispatcher records it (once per change). */
export interface Transition<State> {
  /** The object whose state machine moved (an HCloudMachine's or a HetznerBareMetalHost's name). */
  readonly machine: string;
  readonly from: State;
  readonly to: State;
  /** Time spent in `from` (the demo's duration table averages exactly this). */
  readonly durationMs: number;
  readonly at: Date;
  /** For transitions made by a `failed` result: the failure's reason key. */
  readonly reason?: string;
}
