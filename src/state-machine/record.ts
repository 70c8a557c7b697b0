import type { MachineEvent } from '../ports/event-sink.js';
import type { MachineTypes, ResultOf } from './step-result.js';

/** Where a machine keeps its state, the state's start and the errors in a row, in its status. */
export interface StatusShape<M extends MachineTypes> {
  readonly state: (status: M['status']) => M['state'];
  readonly since: (status: M['status']) => Date | undefined;
  readonly errorCount: (status: M['status']) => number;
  /** The status with these written; an absent `state` or `since` leaves the stored one. */
  readonly write: (status: M['status'], written: WrittenState<M>) => M['status'];
}

/**
 * The usual shape: the state, its start and the error count in three fields of the status
 * (hcloud: bootState, bootStateSince, consecutiveErrors). A missing count reads as 0.
 */
export function fieldShape<M extends MachineTypes>(fields: {
  readonly state: keyof M['status'] & string;
  readonly since: keyof M['status'] & string;
  readonly errorCount: keyof M['status'] & string;
}): StatusShape<M> {
  const read = (status: M['status'], key: string): unknown => (status as Record<string, unknown>)[key];
  return {
    state: (status) => read(status, fields.state) as M['state'],
    since: (status) => read(status, fields.since) as Date | undefined,
    errorCount: (status) => (read(status, fields.errorCount) as number | undefined) ?? 0,
    write: (status, written) => ({
      ...(status as object),
      ...(written.state === undefined ? {} : { [fields.state]: written.state }),
      ...(written.since === undefined ? {} : { [fields.since]: written.since }),
      [fields.errorCount]: written.errorCount,
    }),
  };
}

export interface WrittenState<M extends MachineTypes> {
  readonly state?: M['state'];
  readonly since?: Date;
  readonly errorCount: number;
}

/** A change of state, as the engine records it (once per change). */
export interface Transition<State> {
  /** The object whose state machine moved (an HCloudMachine's or a HetznerBareMetalHost's name). */
  readonly machine: string;
  readonly from: State;
  readonly to: State;
  /** Time spent in `from` (the spec's table measures exactly this). */
  readonly durationMs: number;
  readonly at: Date;
  /** For transitions made by a `failed` result: the failure's reason key. */
  readonly reason?: string;
}

/** How results turn into status: the machine's half of recording a step. */
export interface Recorder<M extends MachineTypes> {
  readonly shape: StatusShape<M>;
  /**
   * Where a `failed` result leads. Without one the state stays and `apply` records the failure
   * in the status (bare metal: a fatal error on the host, as CAPH keeps it).
   */
  readonly failedState?: M['state'];
  /** The stored status with a result's changes (and failure) applied; never the state itself. */
  readonly apply: (status: M['status'], result: ResultOf<M>, now: Date) => M['status'];
  /** The events of a result that ends something (`advance`, `failed`): command output, remediation. */
  readonly outcomeEvents?: (result: ResultOf<M>) => readonly MachineEvent[];
}

export interface RecordedStep<M extends MachineTypes> {
  readonly status: M['status'];
  readonly transition?: Transition<M['state']>;
  readonly events: readonly MachineEvent[];
}

export interface StepFacts<M extends MachineTypes> {
  /** Names the subject in the transition report. */
  readonly name: string;
  readonly stored: M['status'];
  readonly result: ResultOf<M>;
  readonly now: Date;
  /** The state's start as decided; undefined while its clock has not started. */
  readonly since?: Date;
}

/** The state a result leads to. */
export function targetOf<M extends MachineTypes>(
  state: M['state'],
  result: ResultOf<M>,
  failedState: M['state'] | undefined,
): M['state'] {
  if (result.kind === 'advance') return result.to;
  if (result.kind === 'failed') return failedState ?? state;
  return state;
}

/**
 * The new status, the transition (if any) and the events of one step. The only place a state
 * and its start are written: the start changes only when the state does.
 */
export function recordStep<M extends MachineTypes>(
  recorder: Recorder<M>,
  facts: StepFacts<M>,
): RecordedStep<M> {
  const { stored, result, now } = facts;
  const { shape } = recorder;
  const from = shape.state(stored);
  const to = targetOf<M>(from, result, recorder.failedState);
  const status = recorder.apply(stored, result, now);
  const errorCount = result.kind === 'error' ? shape.errorCount(stored) + 1 : 0;
  const events = [...(result.events ?? []), ...outcomeEventsOf(recorder, result)];
  if (to === from) {
    const since = facts.since === undefined ? {} : { since: facts.since };
    return { status: shape.write(status, { ...since, errorCount }), events };
  }
  const transition: Transition<M['state']> = {
    machine: facts.name,
    from,
    to,
    durationMs: facts.since === undefined ? 0 : now.getTime() - facts.since.getTime(),
    at: now,
    ...(result.kind === 'failed' ? { reason: result.reason.reason } : {}),
  };
  return { status: shape.write(status, { state: to, since: now, errorCount }), transition, events };
}

/** The machine's events for a result that ends something; none for the others. */
function outcomeEventsOf<M extends MachineTypes>(
  recorder: Recorder<M>,
  result: ResultOf<M>,
): readonly MachineEvent[] {
  if (result.kind !== 'advance' && result.kind !== 'failed') return [];
  return recorder.outcomeEvents?.(result) ?? [];
}
