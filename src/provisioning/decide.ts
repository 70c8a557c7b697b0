import { resultOfThrown } from './cloud-failures.js';
import { conditionTrue, type ConditionChange } from './conditions.js';
import { bootstrapGate, rateLimitGate } from './gates.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';
import { stateSpecOf, type StateTimeout } from './states.js';
import { checkTimeout } from './timeout.js';
import type { TrackedCloud } from './tracked-cloud.js';

/** What the current state decided, and the clock it decided by. */
export interface Decision {
  readonly result: StepResult;
  /** The state's start; undefined while its clock has not started (waiting for bootstrap data). */
  readonly since?: Date;
  readonly msUntilTimeout?: number;
}

/**
 * Everything between "look the state up" and "a result": the gates, the single timeout check
 * (before any port call, so an unreachable machine still times out), the handler, and the
 * common handling of what the handler threw.
 */
export async function decide(ctx: StepContext, cloud: TrackedCloud): Promise<Decision> {
  const state = ctx.status.bootState;
  const spec = stateSpecOf(state);
  const bootstrap = bootstrapGate(spec, ctx.input, ctx.settings);
  if ('wait' in bootstrap) return { result: bootstrap.wait };
  const since = ctx.status.bootStateSince ?? ctx.now;
  const stepCtx: StepContext = { ...ctx, status: { ...ctx.status, bootStateSince: since } };
  const timeout = checkTimeout(state, since, ctx.now, ctx.settings);
  if (timeout.expired) return { since, result: await timedOut(stepCtx, timeout.timeout, timeout.message) };
  const timing = { since, ...(timeout.msLeft === undefined ? {} : { msUntilTimeout: timeout.msLeft }) };
  const rateLimit = rateLimitGate(ctx.status, ctx.now, ctx.settings);
  if ('wait' in rateLimit) return { ...timing, result: rateLimit.wait };
  let result: StepResult;
  try {
    result = await spec.handler(stepCtx);
  } catch (error) {
    result = resultOfThrown(error, { state, ...optional('failedCall', cloud.lastFailed()) });
  }
  const tokenWorks = cloud.succeeded()
    ? [conditionTrue({ type: 'HCloudTokenAvailable', reason: 'Available' })]
    : [];
  return { ...timing, result: withConditions(result, [...bootstrap.pass, ...rateLimit.pass, ...tokenWorks]) };
}

async function timedOut(ctx: StepContext, timeout: StateTimeout, message: string): Promise<StepResult> {
  const base = { kind: 'failed', reason: timeout.reason, message } as const;
  if (timeout.collectOutput === undefined) return base;
  const output = await timeout.collectOutput(ctx);
  return { ...base, command: { outcome: 'timed-out', summary: message, ...output } };
}

/** `extra` conditions first, so the handler's own say about the same condition wins. */
function withConditions(result: StepResult, extra: readonly ConditionChange[]): StepResult {
  if (extra.length === 0) return result;
  const own = result.changes?.conditions ?? [];
  const ownTypes = new Set(own.map((change) => change.type));
  const conditions = [...extra.filter((change) => !ownTypes.has(change.type)), ...own];
  return { ...result, changes: { ...result.changes, conditions } };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
