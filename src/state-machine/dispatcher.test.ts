import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MachineEvent } from '../ports/event-sink.js';
import { runStep, type StepCall } from './dispatcher.js';
import { isStateMachineError } from './errors.js';
import type { MachineTypes, ResultOf } from './step-result.js';
import type { Machine, StateTable, Transition } from './machine.js';
import type { StateChange } from './state-history.js';

/** A toy machine: a → b → done, with a `failed` state, so the engine is tested on its own. */
type ToyState = 'a' | 'b' | 'done' | 'failed';
interface ToyStatus {
  readonly state: ToyState;
  readonly since?: Date;
  readonly errors?: number;
  readonly startedAt?: Date;
  readonly notes?: readonly string[];
  readonly history?: readonly StateChange<ToyState>[];
}
interface ToyContext {
  readonly status: ToyStatus;
  readonly next: () => ResultOf<Toy>;
}
interface Toy extends MachineTypes {
  readonly state: ToyState;
  readonly context: ToyContext;
  readonly status: ToyStatus;
  readonly failure: { readonly type: 'Ready'; readonly reason: string };
  readonly changes: { readonly note: string };
  readonly report: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

const minute = 60_000;
const run = (ctx: ToyContext): Promise<ResultOf<Toy>> => Promise.resolve(ctx.next());
const table: StateTable<Toy> = {
  a: {
    handler: run,
    timeout: { defaultMs: 6 * minute, reason: { type: 'Ready', reason: 'ATimedOut' }, text: 'a timed out' },
    next: ['b', 'failed'],
  },
  b: {
    handler: run,
    timeout: {
      defaultMs: 7 * minute,
      reason: { type: 'Ready', reason: 'BTimedOut' },
      text: 'b timed out',
      format: (elapsed) => `b timed out after ${elapsed}`,
      clock: { from: 'the start', since: (ctx) => ctx.status.startedAt },
    },
    next: ['done', 'failed'],
  },
  done: { handler: run, next: [] },
  failed: { handler: run, next: [] },
};

function toy(overrides: Partial<Machine<Toy>> = {}): Mutable<Machine<Toy>> {
  return {
    table,
    failedState: 'failed',
    status: {
      state: (status) => status.state,
      since: (status) => status.since,
      errorCount: (status) => status.errors ?? 0,
      // The history is left out here, so the other tests compare statuses without it.
      history: () => undefined,
      write: (status, { state, since, errorCount }) => ({
        ...status,
        state,
        ...(since === undefined ? {} : { since }),
        ...(errorCount === undefined ? {} : { errors: errorCount }),
      }),
    },
    run: async (handler, ctx) => {
      try {
        return await handler(ctx);
      } catch (error) {
        return { kind: 'error', cause: error };
      }
    },
    apply: (status, result) =>
      result.changes ? { ...status, notes: [...(status.notes ?? []), result.changes.note] } : status,
    outcomeEvents: (result) => [{ type: 'Normal', reason: `Outcome-${result.kind}`, message: '' }],
    timeoutReports: { b: (_ctx, message) => Promise.resolve(`report: ${message}`) },
    ...overrides,
  };
}

const t0 = new Date('2026-09-01T10:00:00Z');
const at = (ms: number): Date => new Date(t0.getTime() + ms);

function call(
  stored: ToyStatus,
  next: () => ResultOf<Toy>,
  now = t0,
): StepCall<Toy> & {
  readonly emitted: MachineEvent[];
  readonly transitions: Transition<ToyState>[];
} {
  const emitted: MachineEvent[] = [];
  const transitions: Transition<ToyState>[] = [];
  return {
    name: 'toy-1',
    stored,
    now,
    context: (status) => ({ status, next }),
    timeoutsMs: {},
    backoff: { baseMs: 1000, capMs: 60_000 },
    events: { emit: (event) => emitted.push(event) },
    onTransition: (transition) => transitions.push(transition),
    emitted,
    transitions,
  };
}

describe('state-machine engine', () => {
  it('writes the state and its start only on a change, and reports the transition once with its duration', async () => {
    const step = call(
      { state: 'a', since: t0 },
      () => ({
        kind: 'advance',
        to: 'b',
        after: 5,
        events: [{ type: 'Normal', reason: 'Own', message: '' }],
      }),
      at(90_000),
    );
    const outcome = await runStep(toy(), step);
    assert.deepEqual(outcome.status, { state: 'b', since: at(90_000), errors: 0 });
    assert.deepEqual(step.transitions, [
      { machine: 'toy-1', from: 'a', to: 'b', durationMs: 90_000, at: at(90_000) },
    ]);
    assert.deepEqual(outcome.transition, step.transitions[0]);
    assert.deepEqual(
      step.emitted.map((event) => event.reason),
      ['Own', 'Outcome-advance'],
    );
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 5 });

    const stay = call({ state: 'a' }, () => ({ kind: 'continue', after: 1000, changes: { note: 'x' } }));
    const stayed = await runStep(toy(), stay);
    assert.deepEqual(
      stayed.status,
      { state: 'a', since: t0, errors: 0, notes: ['x'] },
      'the first look starts the clock',
    );
    assert.equal(stay.transitions.length, 0);
  });

  it('refuses a transition the table does not allow: an INVALID_TRANSITION error, the state kept', async () => {
    const outcome = await runStep(
      toy(),
      call({ state: 'a', since: t0 }, () => ({ kind: 'advance', to: 'done' })),
    );
    const cause = outcome.result.kind === 'error' ? outcome.result.cause : undefined;
    assert.ok(isStateMachineError(cause));
    assert.equal(cause.code, 'INVALID_TRANSITION');
    assert.equal(outcome.status.state, 'a');
    assert.equal(outcome.status.errors, 1);
  });

  it('times a state out before its handler runs, with the state’s reason; a table clock counts from its own start', async () => {
    let ran = false;
    const handler = (): ResultOf<Toy> => {
      ran = true;
      return { kind: 'continue', after: 1000 };
    };
    const a = await runStep(toy(), call({ state: 'a', since: t0 }, handler, at(6 * minute + 1000)));
    assert.equal(ran, false);
    assert.deepEqual(a.result, {
      kind: 'failed',
      reason: { type: 'Ready', reason: 'ATimedOut' },
      message: 'a timed out, in this state since 6m1s',
    });
    assert.equal(a.status.state, 'failed');
    assert.equal(a.transition?.reason, 'ATimedOut');

    const started = { state: 'b', since: t0, startedAt: at(5 * minute) } as const;
    const notYet = await runStep(toy(), call(started, handler, at(11 * minute)));
    assert.equal(notYet.status.state, 'b', '11 min in the state, 6 since the start');
    assert.deepEqual(notYet.requeue, { kind: 'after', ms: 1000 });
    const late = await runStep(toy(), call(started, handler, at(12 * minute + 1000)));
    assert.equal(late.result.kind === 'failed' && late.result.message, 'b timed out after 7m1s');
    assert.equal(late.result.kind === 'failed' && late.result.command, 'report: b timed out after 7m1s');
  });

  it('never waits past the timeout, and honours overrides', async () => {
    const step = call(
      { state: 'a', since: t0 },
      () => ({ kind: 'continue', after: 10 * minute }),
      at(5 * minute),
    );
    const outcome = await runStep(toy(), step);
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: minute + 1 });
    const overridden = await runStep(toy(), { ...step, timeoutsMs: { a: 4 * minute } });
    assert.equal(overridden.status.state, 'failed');
  });

  it('keeps the state on `failed` when the machine has no failed state (the status records the failure)', async () => {
    const withoutFailedState = toy();
    delete withoutFailedState.failedState;
    const outcome = await runStep(
      withoutFailedState,
      call({ state: 'a', since: t0 }, () => ({
        kind: 'failed',
        reason: { type: 'Ready', reason: 'Broken' },
        message: 'broken',
      })),
    );
    assert.equal(outcome.status.state, 'a');
    assert.equal(outcome.transition, undefined);
    assert.deepEqual(outcome.requeue, { kind: 'none' });
  });

  it('holds before the clock without starting it, and keeps a stored start', async () => {
    const held = toy({ hold: () => ({ kind: 'continue', after: 10_000 }) });
    const fresh = await runStep(
      held,
      call({ state: 'a' }, () => ({ kind: 'continue', after: 1 }), at(10 * minute)),
    );
    assert.equal(fresh.status.since, undefined, 'a held state does not time out');
    const moved = toy({ hold: () => ({ kind: 'advance', to: 'b' }) });
    const out = await runStep(
      moved,
      call({ state: 'a', since: t0 }, () => ({ kind: 'continue', after: 1 }), at(minute)),
    );
    assert.equal(
      out.transition?.durationMs,
      minute,
      'a transition from a gate reports the time in the state',
    );
  });

  it('turns a thrown error into the machine’s result and counts errors in a row for the backoff', async () => {
    const thrower = (): ResultOf<Toy> => {
      throw new Error('boom');
    };
    const first = await runStep(toy(), call({ state: 'a', since: t0 }, thrower));
    assert.deepEqual(
      [first.requeue.kind, first.requeue.kind === 'backoff' && first.requeue.ms],
      ['backoff', 1000],
    );
    const second = await runStep(toy(), call(first.status, thrower));
    assert.equal(second.requeue.kind === 'backoff' && second.requeue.ms, 2000);
    const ok = await runStep(
      toy(),
      call(second.status, () => ({ kind: 'continue', after: 1 })),
    );
    assert.equal(ok.status.errors, 0);
  });

  describe('state history', () => {
    const keeping = (): Mutable<Machine<Toy>> => {
      const machine = toy();
      machine.status = {
        ...machine.status,
        history: (status) => status.history,
        write: (status, written) => ({
          ...toy().status.write(status, written),
          ...(written.history === undefined ? {} : { history: written.history }),
        }),
      };
      return machine;
    };

    it('records every change with its time, the time spent before it, and a failure reason', async () => {
      const machine = keeping();
      const first = await runStep(
        machine,
        call({ state: 'a', since: t0 }, () => ({ kind: 'advance', to: 'b' }), at(5_000)),
      );
      const failure = { type: 'Ready', reason: 'Broken' } as const;
      const second = await runStep(
        machine,
        call(first.status, () => ({ kind: 'failed', reason: failure, message: 'no' }), at(12_000)),
      );
      assert.deepEqual(second.status.history, [
        { from: 'a', to: 'b', durationMs: 5_000, at: at(5_000) },
        { from: 'b', to: 'failed', durationMs: 7_000, at: at(12_000), reason: 'Broken' },
      ]);
    });

    it('records a failure that keeps the state once, however often it repeats', async () => {
      const machine = { ...keeping(), failedState: undefined } as unknown as Mutable<Machine<Toy>>;
      const failure = { type: 'Ready', reason: 'Broken' } as const;
      let status: ToyStatus = { state: 'a', since: t0 };
      for (const ms of [1_000, 2_000, 3_000]) {
        const step = call(status, () => ({ kind: 'failed', reason: failure, message: 'no' }), at(ms));
        status = (await runStep(machine, step)).status;
      }
      assert.deepEqual(status.history, [
        { from: 'a', to: 'a', durationMs: 1_000, at: at(1_000), reason: 'Broken' },
      ]);
    });

    it('keeps the last 32 changes', async () => {
      const machine = keeping();
      let status: ToyStatus = { state: 'a', since: t0 };
      for (let i = 1; i <= 40; i += 1) {
        const to: ToyState = status.state === 'a' ? 'b' : 'a';
        const next = (): ResultOf<Toy> => ({ kind: 'advance', to });
        machine.table = { ...table, b: { ...table.b, next: ['a', 'done', 'failed'] } };
        status = (await runStep(machine, call(status, next, at(i * 1_000)))).status;
      }
      const history = status.history ?? [];
      assert.equal(history.length, 32);
      assert.deepEqual([history[0]?.at, history[31]?.at], [at(9_000), at(40_000)]);
    });
  });
});
