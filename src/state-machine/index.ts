/**
 * The state-machine engine both provisioning machines run on (ADR 0004): a machine is a data
 * table (state → handler, timeout, allowed next states), typed accessors of its status and two
 * hooks (hold before the clock, run the handler); `dispatcher.ts` is the single dispatcher that
 * checks timeouts and transitions, writes the state and its start, reports transitions and turns
 * step results into requeues. It knows ports only.
 */
export type {
  MachineTypes,
  FailureReason,
  StepResult,
  StepExtras,
  ResultOf,
  AnyStepResult,
} from './step-result.js';
export { toRequeue, type Requeue, type RequeueContext, type BackoffSettings } from './step-result.js';
export {
  timeoutMsOf,
  type Machine,
  type StatusAccess,
  type StateSpec,
  type StateTable,
  type StateTimeout,
  type TimeoutClock,
  type TimeoutReport,
  type TimeoutRetry,
  type FailedResultOf,
  type Transition,
} from './machine.js';
export {
  goDuration,
  runStep,
  summarize,
  timeoutMessage,
  type StepCall,
  type StepOutcome,
  type StepSummary,
} from './dispatcher.js';
export { appendStateChange, STATE_HISTORY_LIMIT, type StateChange } from './state-history.js';
export { StateMachineError, isStateMachineError, type StateMachineErrorCode } from './errors.js';
export {
  applyConditionChanges,
  conditionFalse,
  conditionTrue,
  conditionUnknown,
  type Condition,
  type ConditionChangeOf,
  type Conditions,
  type ConditionSeverity,
  type ConditionStatus,
  type ReasonRef,
} from './conditions.js';
export {
  lookupReasonStrings,
  pair,
  reasonRefs,
  type ReasonRefs,
  type ReasonStrings,
  type ReasonVocabulary,
} from './reason-strings.js';
export { renderMachineDoc, type StateMachineDoc } from './doc.js';
export { withOverrides, type MachineOptions, type OverridesOf, type WithRequeue } from './options.js';
