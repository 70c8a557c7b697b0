import type { MachineEvent } from '../ports/event-sink.js';
import { fieldShape, type Machine, type Transition } from '../state-machine/index.js';
import { applyChanges } from './apply-status.js';
import type { BootState } from './boot-state.js';
import { resultOfThrown } from './cloud-failures.js';
import { commandEvent } from '../image-url/command-events.js';
import { applyConditionChanges, conditionFalse, conditionTrue, type ConditionChange } from './conditions.js';
import { bootstrapGate, rateLimitGate } from './gates.js';
import type { MachineInput, MachineStatus } from './machine.js';
import type { ProvisioningSettings } from './settings.js';
import type { BootMachineTypes, StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';
import { bootStateTable, stateSpecOf } from './states.js';
import type { TrackedCloud } from './tracked-cloud.js';

/** A change of bootState, as the engine records it (once per change). */
export type BootTransition = Transition<BootState>;

const failedState = 'ProvisioningFailed';

/** Where the boot machine keeps its state in MachineStatus (CAPH's bootState/bootStateSince). */
const bootStatusShape = fieldShape<BootMachineTypes>({
  state: 'bootState',
  since: 'bootStateSince',
  errorCount: 'consecutiveErrors',
});

interface BootEnv {
  readonly input: MachineInput;
  readonly settings: ProvisioningSettings;
  /** The cloud port of this call, to name a failed call and to see whether any went through. */
  readonly cloud: TrackedCloud;
}

/** The hcloud boot machine for one reconcile: the table, CAPH's preamble as gates, its recording. */
export function bootMachine(env: BootEnv): Machine<BootMachineTypes> {
  const { input, settings, cloud } = env;
  return {
    table: bootStateTable,
    failedState,
    shape: bootStatusShape,
    hooks: {
      withSince: (ctx, since): StepContext => ({ ...ctx, status: { ...ctx.status, bootStateSince: since } }),
      beforeClock: (state) => bootstrapGate(stateSpecOf(state), input, settings),
      beforeHandler: (_state, ctx) => rateLimitGate(ctx.status, ctx.now, settings),
      onThrown: (error, ctx) => {
        const failedCall = cloud.lastFailed();
        return resultOfThrown(error, {
          state: ctx.status.bootState,
          ...(failedCall === undefined ? {} : { failedCall }),
        });
      },
      afterHandler: () =>
        cloud.succeeded() ? [conditionTrue({ type: 'HCloudTokenAvailable', reason: 'Available' })] : [],
      withExtras: withConditions,
    },
    apply: applyResult,
    outcomeEvents: (result) => outcomeEvents(result, input, settings),
  };
}

/** The handler's changes, and for a failure its reason's condition False (CAPH's SetErrorAndRemediate). */
function applyResult(stored: MachineStatus, result: StepResult, now: Date): MachineStatus {
  const status = applyChanges(stored, result.changes, now);
  if (result.kind !== 'failed') return status;
  const failure = conditionFalse(result.reason, result.message, 'Error');
  return { ...status, conditions: applyConditionChanges(status.conditions ?? {}, [failure], now) };
}

/** `extra` conditions first, so the handler's own say about the same condition wins. */
function withConditions(result: StepResult, extra: readonly ConditionChange[]): StepResult {
  if (extra.length === 0) return result;
  const own = result.changes?.conditions ?? [];
  const ownTypes = new Set(own.map((change) => change.type));
  const conditions = [...extra.filter((change) => !ownTypes.has(change.type)), ...own];
  return { ...result, changes: { ...result.changes, conditions } };
}

/** The events a transition carries: the command's outcome (spec) and the remediation notice (CAPH). */
function outcomeEvents(
  result: StepResult,
  input: MachineInput,
  settings: ProvisioningSettings,
): MachineEvent[] {
  const events: MachineEvent[] = [];
  const secrets = input.registryToken ? [input.registryToken] : [];
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
