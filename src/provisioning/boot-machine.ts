import type { MachineEvent } from '../ports/event-sink.js';
import type { Machine, StatusAccess, Transition } from '../state-machine/index.js';
import { applyChanges } from './apply-status.js';
import type { BootState } from './boot-state.js';
import { resultOfThrown } from './cloud-failures.js';
import { commandEvent } from '../image-url/command-events.js';
import { commandSecrets } from '../image-url/command-secrets.js';
import { applyConditionChanges, conditionFalse, conditionTrue } from './conditions.js';
import { rejectedCreateHold } from './create-rejection.js';
import { bootstrapGate, rateLimitGate, withConditions } from './gates.js';
import type { MachineInput, MachineStatus } from './machine.js';
import { notOwnedResult, ownershipHold } from './ownership-hold.js';
import { hcloudReasons } from './reasons.js';
import { isServerNotOwned } from './server-ownership.js';
import type { ProvisioningSettings } from './settings.js';
import type { BootMachineTypes, StepContext, StepHandler } from './step-context.js';
import type { StepResult } from './step-result.js';
import { bootStateTable, bootTimeoutReports, stateSpecOf } from './states.js';
import type { TrackedCloud } from './tracked-cloud.js';

/** A change of bootState, as the engine records it (once per change). */
export type BootTransition = Transition<BootState>;

const failedState = 'ProvisioningFailed';

/** Where the boot machine keeps its state in MachineStatus (CAPH's bootState/bootStateSince). */
const bootStatus: StatusAccess<BootMachineTypes> = {
  state: (status) => status.bootState,
  since: (status) => status.bootStateSince,
  errorCount: (status) => status.consecutiveErrors ?? 0,
  history: (status) => status.stateHistory,
  write: (status, { state, since, errorCount, history }) => ({
    ...status,
    bootState: state,
    ...(since === undefined ? {} : { bootStateSince: since }),
    ...(errorCount === undefined ? {} : { consecutiveErrors: errorCount }),
    ...(history === undefined ? {} : { stateHistory: history }),
  }),
};

interface BootEnv {
  readonly input: MachineInput;
  readonly settings: ProvisioningSettings;
  /** The cloud port of this call, to name a failed call and to see whether any went through. */
  readonly cloud: TrackedCloud;
}

/** The hcloud boot machine for one reconcile: the table, CAPH's preamble as gates, its recording. */
export function bootMachine(env: BootEnv): Machine<BootMachineTypes> {
  const { input, settings } = env;
  return {
    table: bootStateTable,
    status: bootStatus,
    failedState,
    hold: async (state, ctx) => {
      const gate = bootstrapGate(stateSpecOf(state), input, settings);
      if ('wait' in gate) return gate.wait;
      const rejected = rejectedCreateHold(ctx);
      if (rejected !== undefined) return rejected;
      if ('wait' in rateLimitGate(ctx.status, ctx.now, settings)) return undefined;
      return guarded(env, ctx, () => ownershipHold(ctx, state));
    },
    run: (handler, ctx, state) => runHandler(env, handler, ctx, state),
    apply: applyResult,
    outcomeEvents: (result) => outcomeEvents(result, input, settings),
    timeoutReports: bootTimeoutReports,
  };
}

/**
 * The handler behind the rest of CAPH's preamble: no API call while the rate limit is waited
 * out; a thrown error gets the meaning every state shares; what the gates saw and a token that
 * worked (HCloudTokenAvailable) are added to the result; the handler's own say about one wins.
 */
async function runHandler(
  env: BootEnv,
  handler: StepHandler,
  ctx: StepContext,
  state: BootState,
): Promise<StepResult> {
  const { input, settings, cloud } = env;
  const limited = rateLimitGate(ctx.status, ctx.now, settings);
  if ('wait' in limited) return limited.wait;
  const bootstrap = bootstrapGate(stateSpecOf(state), input, settings);
  const result = await guarded(env, ctx, () => handler(ctx));
  const token = cloud.succeeded() ? [conditionTrue(hcloudReasons.HCloudTokenAvailable.Available)] : [];
  const passed = 'pass' in bootstrap ? bootstrap.pass : [];
  return withConditions(result, [...passed, ...limited.pass, ...token]);
}

/**
 * Runs a step that may call the cloud, giving what it throws the meaning every state shares; a
 * call refused because the server is not this machine's holds the machine (notOwnedResult).
 */
async function guarded<R extends StepResult | undefined>(
  env: BootEnv,
  ctx: StepContext,
  step: () => Promise<R>,
): Promise<R | StepResult> {
  try {
    return await step();
  } catch (error) {
    if (isServerNotOwned(error)) return notOwnedResult(error, env.settings);
    const failedCall = env.cloud.lastFailed();
    return resultOfThrown(error, {
      state: ctx.status.bootState,
      ...(failedCall === undefined ? {} : { failedCall }),
    });
  }
}

/** The handler's changes, and for a failure its reason's condition False (CAPH's SetErrorAndRemediate). */
function applyResult(stored: MachineStatus, result: StepResult, now: Date): MachineStatus {
  const status = applyChanges(stored, result.changes, now);
  if (result.kind !== 'failed') return status;
  const failure = conditionFalse(result.reason, result.message, 'Error');
  return { ...status, conditions: applyConditionChanges(status.conditions ?? {}, [failure], now) };
}

/** The events a transition carries: the command's outcome and the remediation notice (CAPH). */
function outcomeEvents(
  result: StepResult,
  input: MachineInput,
  settings: ProvisioningSettings,
): MachineEvent[] {
  const events: MachineEvent[] = [];
  const secrets = commandSecrets(input);
  if ((result.kind === 'advance' || result.kind === 'failed') && result.command) {
    events.push(commandEvent(result.command, { limitBytes: settings.eventMessageLimitBytes, secrets }));
  }
  if (result.kind === 'failed') {
    events.push({
      type: 'Warning',
      reason: 'HCloudMachineWillBeRemediated',
      message: `HCloudMachine will be remediated: ${result.message}`,
    });
  }
  return events;
}
