import type { EventSink, MachineEvent } from '../ports/event-sink.js';
import { StateMachineError } from './errors.js';
import {
  toRequeue,
  type BackoffSettings,
  type MachineTypes,
  type Requeue,
  type ResultOf,
} from './step-result.js';
import type { FailedResultOf, Machine, StateTimeout, TimeoutReport, Transition } from './machine.js';
import { appendStateChange, type StateChange } from './state-history.js';

/** One step for one subject. */
export interface StepCall<M extends MachineTypes> {
  /** Names the subject in transition reports. */
  readonly name: string;
  readonly stored: M['status'];
  /** One instant per call, so every decision in a call agrees on the time. */
  readonly now: Date;
  /** What handlers see, given the status (with the state's start once its clock runs). */
  readonly context: (status: M['status']) => M['context'];
  readonly timeoutsMs: Readonly<Partial<Record<M['state'], number>>>;
  readonly backoff: BackoffSettings;
  readonly events: EventSink;
  /** Told every state change once, before its events are emitted. */
  readonly onTransition?: (transition: Transition<M['state']>) => void;
}

export interface StepOutcome<M extends MachineTypes> {
  /** The status to persist, all of it. */
  readonly status: M['status'];
  readonly requeue: Requeue;
  readonly result: ResultOf<M>;
  readonly transition?: Transition<M['state']>;
}

/** What a provisioner tells its caller about one step, whatever the machine. */
export interface StepSummary<M extends MachineTypes> extends Omit<StepOutcome<M>, 'result'> {
  readonly result: ResultOf<M>['kind'];
  /** A progress note for logs and the CLI. */
  readonly message?: string;
}

export function summarize<M extends MachineTypes>(step: StepOutcome<M>): StepSummary<M> {
  const { result, transition } = step;
  return {
    status: step.status,
    requeue: step.requeue,
    result: result.kind,
    ...(result.message === undefined ? {} : { message: result.message }),
    ...(transition ? { transition } : {}),
  };
}

/** What the current state decided, and its clock (no start while held before it). */
interface Decision<M extends MachineTypes> {
  readonly result: ResultOf<M>;
  readonly since?: Date;
  readonly msUntilTimeout?: number;
}

/**
 * The single dispatcher of every machine: looks the state up in the table, holds or checks the
 * timeout (before any port call, so an unreachable subject still times out), runs the handler,
 * checks the transition against the table, writes the state, its start and its bounded history
 * (nothing else does), reports the transition, emits the events and turns the result into a requeue.
 */
export async function runStep<M extends MachineTypes>(
  machine: Machine<M>,
  call: StepCall<M>,
): Promise<StepOutcome<M>> {
  const state = machine.status.state(call.stored);
  const decision = await decide(machine, call, state);
  const result = allowedOrError(machine, state, decision.result);
  const { status, transition, events } = record(machine, call, { ...decision, result });
  if (transition) call.onTransition?.(transition);
  for (const event of events) call.events.emit(event);
  const { msUntilTimeout } = decision;
  const timing = { errorCount: machine.status.errorCount(status), backoff: call.backoff };
  const requeue = toRequeue(result, msUntilTimeout === undefined ? timing : { ...timing, msUntilTimeout });
  return { status, requeue, result, ...(transition ? { transition } : {}) };
}

async function decide<M extends MachineTypes>(
  machine: Machine<M>,
  call: StepCall<M>,
  state: M['state'],
): Promise<Decision<M>> {
  const { stored, now } = call;
  const storedSince = machine.status.since(stored);
  const held = await machine.hold?.(state, call.context(stored));
  if (held !== undefined) return heldBeforeClock(held, storedSince);
  const since = storedSince ?? now;
  const ctx = call.context(machine.status.write(stored, { state, since }));
  const spec = machine.table[state];
  const { timeout } = spec;
  if (timeout === undefined) return { since, result: await machine.run(spec.handler, ctx, state) };
  const limitMs = call.timeoutsMs[state] ?? timeout.defaultMs;
  const elapsedMs = now.getTime() - (timeout.clock?.since(ctx) ?? since).getTime();
  if (elapsedMs > limitMs)
    return { since, result: await expired(machine, timeout, { state, ctx, elapsedMs, limitMs }) };
  return { since, msUntilTimeout: limitMs - elapsedMs, result: await machine.run(spec.handler, ctx, state) };
}

/** Held before the clock: a stored start stays, so a transition out of here reports its time. */
function heldBeforeClock<M extends MachineTypes>(result: ResultOf<M>, since: Date | undefined): Decision<M> {
  return since === undefined ? { result } : { result, since };
}

/** The state's time is up: its failure, unless the state tries again instead (`timeout.retry`). */
async function expired<M extends MachineTypes>(
  machine: Machine<M>,
  timeout: StateTimeout<M>,
  at: {
    readonly state: M['state'];
    readonly ctx: M['context'];
    readonly elapsedMs: number;
    readonly limitMs: number;
  },
): Promise<ResultOf<M>> {
  const { state, ctx, limitMs } = at;
  const failure = await timedOut(timeout, machine.timeoutReports?.[state], ctx, goDuration(at.elapsedMs));
  const { retry } = timeout;
  if (retry === undefined) return failure;
  return machine.run((c) => retry(c, { failure, limitMs }), ctx, state);
}

async function timedOut<M extends MachineTypes>(
  timeout: StateTimeout<M>,
  report: TimeoutReport<M> | undefined,
  ctx: M['context'],
  elapsed: string,
): Promise<FailedResultOf<M>> {
  const message = timeoutMessage(timeout, elapsed);
  const base = { kind: 'failed', reason: timeout.reason, message } as const;
  if (report === undefined) return base;
  return { ...base, command: await report(ctx, message) };
}

/** A timed-out state's message: `<text>, in this state since 7m1s` unless the state formats its own. */
export function timeoutMessage<M extends MachineTypes>(timeout: StateTimeout<M>, elapsed: string): string {
  return timeout.format?.(elapsed) ?? `${timeout.text}, in this state since ${elapsed}`;
}

/** A transition the table does not allow is a bug in a handler: reported as an error, never taken. */
function allowedOrError<M extends MachineTypes>(
  machine: Machine<M>,
  state: M['state'],
  result: ResultOf<M>,
): ResultOf<M> {
  const to =
    result.kind === 'advance' ? result.to : result.kind === 'failed' ? machine.failedState : undefined;
  if (to === undefined || machine.table[state].next.includes(to)) return result;
  const message = `state ${JSON.stringify(state)} may not move to ${JSON.stringify(to)}`;
  return { kind: 'error', cause: new StateMachineError('INVALID_TRANSITION', message) };
}

/** The new status, the transition (if any) and the events of one step; the start changes with the state only. */
function record<M extends MachineTypes>(
  machine: Machine<M>,
  call: StepCall<M>,
  step: Decision<M>,
): Pick<StepOutcome<M>, 'status' | 'transition'> & { readonly events: readonly MachineEvent[] } {
  const { stored, now } = call;
  const { result, since } = step;
  const from = machine.status.state(stored);
  const to = targetOf(machine, result, from);
  const applied = machine.apply(stored, result, now);
  const errorCount = result.kind === 'error' ? machine.status.errorCount(stored) + 1 : 0;
  const events = [...(result.events ?? []), ...outcomeEventsOf(machine, result)];
  const change: StateChange<M['state']> = {
    from,
    to,
    durationMs: since === undefined ? 0 : now.getTime() - since.getTime(),
    at: now,
    ...(result.kind === 'failed' ? { reason: result.reason.reason } : {}),
  };
  const storedHistory = machine.status.history(stored);
  if (to === from) {
    const kept = since === undefined ? {} : { since };
    // A failure that keeps the state is history too: the report counts failures by reason.
    const history = result.kind === 'failed' ? appendStateChange(storedHistory, change) : undefined;
    const written = { state: from, ...kept, errorCount, ...(history ? { history } : {}) };
    return { status: machine.status.write(applied, written), events };
  }
  const transition: Transition<M['state']> = { machine: call.name, ...change };
  const history = appendStateChange(storedHistory, change);
  const written = { state: to, since: now, errorCount, history };
  return { status: machine.status.write(applied, written), transition, events };
}

function targetOf<M extends MachineTypes>(
  machine: Machine<M>,
  result: ResultOf<M>,
  from: M['state'],
): M['state'] {
  if (result.kind === 'advance') return result.to;
  return result.kind === 'failed' ? (machine.failedState ?? from) : from;
}

/** The machine's events for a result that ends something (`advance`, `failed`); none for the others. */
function outcomeEventsOf<M extends MachineTypes>(
  machine: Machine<M>,
  result: ResultOf<M>,
): readonly MachineEvent[] {
  if (result.kind !== 'advance' && result.kind !== 'failed') return [];
  return machine.outcomeEvents?.(result) ?? [];
}

/** Go's Duration.String() of a duration rounded to whole seconds (`7m0s`, `1h2m3s`, `45s`), as CAPH prints it. */
export function goDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
