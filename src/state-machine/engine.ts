import type { EventSink } from '../ports/event-sink.js';
import { decide, type DecideHooks } from './decide.js';
import { StateMachineError } from './errors.js';
import { recordStep, type Recorder, type Transition } from './record.js';
import {
  toRequeue,
  type BackoffSettings,
  type MachineTypes,
  type Requeue,
  type ResultOf,
} from './step-result.js';
import { mayMove, type StateTable } from './table.js';

/** One state machine, as the engine runs it: its table, its hooks, and how it records results. */
export interface Machine<M extends MachineTypes> extends Recorder<M> {
  readonly table: StateTable<M>;
  readonly hooks: DecideHooks<M>;
}

/** One step for one subject. */
export interface StepCall<M extends MachineTypes> {
  /** Names the subject in transition reports. */
  readonly name: string;
  readonly stored: M['status'];
  /** One instant per call, so every decision in a call agrees on the time. */
  readonly now: Date;
  /** The handler context before the state's start is filled in. */
  readonly context: M['context'];
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
export interface StepSummary<M extends MachineTypes> {
  /** The status to persist, all of it. */
  readonly status: M['status'];
  readonly requeue: Requeue;
  readonly result: ResultOf<M>['kind'];
  /** A progress note for logs and the CLI. */
  readonly message?: string;
  readonly transition?: Transition<M['state']>;
}

export function summarize<M extends MachineTypes>(step: StepOutcome<M>): StepSummary<M> {
  const { result } = step;
  return {
    status: step.status,
    requeue: step.requeue,
    result: result.kind,
    ...(result.message === undefined ? {} : { message: result.message }),
    ...(step.transition ? { transition: step.transition } : {}),
  };
}

/**
 * The single dispatcher of every machine: looks the state up in the table, runs the gates and
 * the timeout check, calls the handler, checks the transition against the table, writes the
 * state and its start (nothing else does), reports the transition, emits the events and turns
 * the result into a requeue.
 */
export async function runStep<M extends MachineTypes>(
  machine: Machine<M>,
  call: StepCall<M>,
): Promise<StepOutcome<M>> {
  const { stored, now } = call;
  const state = machine.shape.state(stored);
  const decision = await decide(machine.table, machine.hooks, {
    state,
    storedSince: machine.shape.since(stored),
    now,
    context: call.context,
    timeoutsMs: call.timeoutsMs,
  });
  const result = allowedOrError(machine, state, decision.result);
  const since = decision.since === undefined ? {} : { since: decision.since };
  const recorded = recordStep(machine, { name: call.name, stored, result, now, ...since });
  if (recorded.transition) call.onTransition?.(recorded.transition);
  for (const event of recorded.events) call.events.emit(event);
  const requeue = toRequeue(result, {
    errorCount: machine.shape.errorCount(recorded.status),
    backoff: call.backoff,
    ...(decision.msUntilTimeout === undefined ? {} : { msUntilTimeout: decision.msUntilTimeout }),
  });
  return {
    status: recorded.status,
    requeue,
    result,
    ...(recorded.transition ? { transition: recorded.transition } : {}),
  };
}

/** A transition the table does not allow is a bug in a handler: reported as an error, never taken. */
function allowedOrError<M extends MachineTypes>(
  machine: Machine<M>,
  state: M['state'],
  result: ResultOf<M>,
): ResultOf<M> {
  const to =
    result.kind === 'advance' ? result.to : result.kind === 'failed' ? machine.failedState : undefined;
  if (to === undefined || mayMove(machine.table, state, to)) return result;
  const message = `state ${JSON.stringify(state)} may not move to ${JSON.stringify(to)}`;
  return { kind: 'error', cause: new StateMachineError('INVALID_TRANSITION', message) };
}
