/**
 * The state-machine engine both provisioning machines run on (ADR 0004): a machine is a data
 * table (state → handler, timeout, allowed next states) plus a few hooks; the engine is the
 * single dispatcher that checks timeouts and transitions, writes the state and its start,
 * reports transitions and turns step results into requeues. It knows ports only.
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
  mayMove,
  timeoutMsOf,
  type StateSpec,
  type StateTable,
  type StateTimeout,
  type TimeoutClock,
} from './table.js';
export { checkTimeout, goDuration, type TimeoutCheck } from './timeout.js';
export { decide, type Decision, type DecideHooks, type DecideInput, type Gate } from './decide.js';
export {
  fieldShape,
  recordStep,
  targetOf,
  type RecordedStep,
  type Recorder,
  type StatusShape,
  type StepFacts,
  type Transition,
  type WrittenState,
} from './record.js';
export {
  runStep,
  summarize,
  type Machine,
  type StepCall,
  type StepOutcome,
  type StepSummary,
} from './engine.js';
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
  ours,
  pair,
  reasonRefs,
  same,
  type ReasonRefs,
  type ReasonStrings,
  type ReasonVocabulary,
} from './reason-strings.js';
export { renderMachineDoc, type StateMachineDoc } from './doc.js';
export { withOverrides, type MachineOptions, type OverridesOf, type WithRequeue } from './options.js';
