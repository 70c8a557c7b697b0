import type { MachineEvent } from '../ports/event-sink.js';
import { applyChanges } from './apply-status.js';
import type { BootState } from './boot-state.js';
import { commandEvent } from './command-events.js';
import { applyConditionChanges, conditionFalse } from './conditions.js';
import type { MachineInput, MachineStatus } from './machine.js';
import type { ProvisioningSettings } from './settings.js';
import type { StepResult } from './step-result.js';

/** A change of bootState, as the dispatcher records it (once per change). */
export interface BootTransition {
  readonly machine: string;
  readonly from: BootState;
  readonly to: BootState;
  /** Time spent in `from` (the spec's table measures exactly this). */
  readonly durationMs: number;
  readonly at: Date;
  /** For transitions to ProvisioningFailed: the failure's reason key. */
  readonly reason?: string;
}

export interface RecordedStep {
  readonly status: MachineStatus;
  readonly transition?: BootTransition;
  readonly events: readonly MachineEvent[];
}

interface StepFacts {
  readonly input: MachineInput;
  readonly stored: MachineStatus;
  readonly result: StepResult;
  readonly now: Date;
  readonly since?: Date;
}

/** The state a result leads to. */
export function targetOf(state: BootState, result: StepResult): BootState {
  if (result.kind === 'advance') return result.to;
  if (result.kind === 'failed') return 'ProvisioningFailed';
  return state;
}

/** The new status, the transition (if any) and the events of one step. */
export function recordStep(facts: StepFacts, settings: ProvisioningSettings): RecordedStep {
  const { stored, result, now } = facts;
  const from = stored.bootState;
  const to = targetOf(from, result);
  let status = applyChanges(stored, result.changes, now);
  if (result.kind === 'failed') {
    status = {
      ...status,
      conditions: applyConditionChanges(
        status.conditions ?? {},
        [conditionFalse(result.reason, result.message, 'Error')],
        now,
      ),
    };
  }
  const consecutiveErrors = result.kind === 'error' ? (stored.consecutiveErrors ?? 0) + 1 : 0;
  const events = [...(result.events ?? [])];
  if (to === from) {
    const since = facts.since === undefined ? {} : { bootStateSince: facts.since };
    return { status: { ...status, ...since, consecutiveErrors }, events };
  }
  const transition: BootTransition = {
    machine: facts.input.name,
    from,
    to,
    durationMs: facts.since === undefined ? 0 : now.getTime() - facts.since.getTime(),
    at: now,
    ...(result.kind === 'failed' ? { reason: result.reason.reason } : {}),
  };
  events.push(...transitionEvents(result, facts.input, settings));
  return { status: { ...status, bootState: to, bootStateSince: now, consecutiveErrors }, transition, events };
}

/** The events a transition carries: the command's outcome (spec) and the remediation notice (CAPH). */
function transitionEvents(
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
