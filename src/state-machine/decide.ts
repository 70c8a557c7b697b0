import type { MachineTypes, ResultOf } from './step-result.js';
import { timeoutMsOf, type StateSpec, type StateTable, type StateTimeout } from './table.js';
import { checkTimeout, type TimeoutCheck } from './timeout.js';

/** A gate either holds the subject back (`wait`) or lets it pass, maybe with extras for the result. */
export type Gate<M extends MachineTypes> =
  { readonly wait: ResultOf<M> } | { readonly pass: readonly M['extra'][] };

/** What a machine adds around its handlers; everything but `withSince` and `onThrown` is optional. */
export interface DecideHooks<M extends MachineTypes> {
  /** The context as handlers see it, with the state's start filled in. */
  readonly withSince: (ctx: M['context'], since: Date) => M['context'];
  /** Checked before the state's clock starts: a subject held here never times out. */
  readonly beforeClock?: (state: M['state'], ctx: M['context']) => Gate<M>;
  /** Checked after the timeout, before the handler (e.g. waiting out a rate limit). */
  readonly beforeHandler?: (state: M['state'], ctx: M['context']) => Gate<M>;
  /** The common meaning of an error a handler threw (every state shares it). */
  readonly onThrown: (error: unknown, ctx: M['context']) => ResultOf<M>;
  /** Extras learned while the handler ran (hcloud: an API call went through). */
  readonly afterHandler?: () => readonly M['extra'][];
  /** The result with the extras of the gates and of `afterHandler`; the handler's own say must win. */
  readonly withExtras?: (result: ResultOf<M>, extras: readonly M['extra'][]) => ResultOf<M>;
}

export interface DecideInput<M extends MachineTypes> {
  readonly state: M['state'];
  /** When the state began as stored; undefined before its first look. */
  readonly storedSince: Date | undefined;
  readonly now: Date;
  readonly context: M['context'];
  readonly timeoutsMs: Readonly<Partial<Record<M['state'], number>>>;
}

/** What the current state decided, and the clock it decided by. */
export interface Decision<M extends MachineTypes> {
  readonly result: ResultOf<M>;
  /** The state's start; undefined while its clock has not started (held before it, never started). */
  readonly since?: Date;
  readonly msUntilTimeout?: number;
}

/**
 * Everything between "look the state up" and "a result": the gates, the single timeout check
 * (before any port call, so an unreachable subject still times out), the handler, and the
 * common handling of what the handler threw.
 */
export async function decide<M extends MachineTypes>(
  table: StateTable<M>,
  hooks: DecideHooks<M>,
  input: DecideInput<M>,
): Promise<Decision<M>> {
  const { state, now } = input;
  const spec = table[state];
  const held = passOrWait(hooks.beforeClock, state, input.context);
  if ('wait' in held) return heldBeforeClock(held.wait, input.storedSince);
  const since = input.storedSince ?? now;
  const ctx = hooks.withSince(input.context, since);
  const timeout = checkStateTimeout(spec, ctx, { since, now, overrideMs: input.timeoutsMs[state] });
  if (timeout.expired) return { since, result: await timedOut(ctx, timeout.timeout, timeout.message) };
  const timing = timeout.msLeft === undefined ? { since } : { since, msUntilTimeout: timeout.msLeft };
  const waiting = passOrWait(hooks.beforeHandler, state, ctx);
  if ('wait' in waiting) return { ...timing, result: waiting.wait };
  const result = await runHandler(spec, hooks, ctx);
  const extras = [...held.pass, ...waiting.pass, ...(hooks.afterHandler?.() ?? [])];
  return { ...timing, result: hooks.withExtras?.(result, extras) ?? result };
}

function passOrWait<M extends MachineTypes>(
  gate: ((state: M['state'], ctx: M['context']) => Gate<M>) | undefined,
  state: M['state'],
  ctx: M['context'],
): Gate<M> {
  return gate === undefined ? { pass: [] } : gate(state, ctx);
}

/** Held before the clock: a stored start stays (a transition out of here still reports its time). */
function heldBeforeClock<M extends MachineTypes>(
  result: ResultOf<M>,
  storedSince: Date | undefined,
): Decision<M> {
  return storedSince === undefined ? { result } : { result, since: storedSince };
}

/** The state's timeout, counted from the table's clock when it names one, else from the state's start. */
function checkStateTimeout<M extends MachineTypes>(
  spec: StateSpec<M>,
  ctx: M['context'],
  at: { readonly since: Date; readonly now: Date; readonly overrideMs: number | undefined },
): TimeoutCheck<StateTimeout<M>> {
  const clockStart = spec.timeout?.clock?.since(ctx) ?? at.since;
  return checkTimeout(spec.timeout, timeoutMsOf(spec, at.overrideMs), clockStart, at.now);
}

async function runHandler<M extends MachineTypes>(
  spec: StateSpec<M>,
  hooks: DecideHooks<M>,
  ctx: M['context'],
): Promise<ResultOf<M>> {
  try {
    return await spec.handler(ctx);
  } catch (error) {
    return hooks.onThrown(error, ctx);
  }
}

async function timedOut<M extends MachineTypes>(
  ctx: M['context'],
  timeout: StateTimeout<M>,
  message: string,
): Promise<ResultOf<M>> {
  const base = { kind: 'failed', reason: timeout.reason, message } as const;
  if (timeout.report === undefined) return base;
  return { ...base, command: await timeout.report(ctx, message) };
}
