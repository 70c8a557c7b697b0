import {
  applyConditionChanges as applyAny,
  conditionFalse as falseAny,
  conditionTrue as trueAny,
  conditionUnknown as unknownAny,
  type Condition,
  type ConditionChangeOf,
  type Conditions,
  type ConditionSeverity,
} from '../state-machine/index.js';
import type { ConditionReason, ConditionType } from './reasons.js';

export type { ConditionSeverity, ConditionStatus } from '../state-machine/index.js';

/** A condition as the core keeps it; the kube side writes it in both CAPH formats. */
export type MachineCondition = Condition;

export type MachineConditions = Conditions<ConditionType>;

/** What a handler wants a condition to say (only reasons of the hcloud vocabulary). */
export type ConditionChange = ConditionChangeOf<ConditionReason>;

/** `reason` set True (CAPH's positive conditions carry an empty message). */
export const conditionTrue: (reason: ConditionReason, message?: string) => ConditionChange = trueAny;

/** `reason` set False; severity Warning unless said otherwise (CAPH's most common choice). */
export const conditionFalse: (
  reason: ConditionReason,
  message: string,
  severity?: ConditionSeverity,
) => ConditionChange = falseAny;

export const conditionUnknown: (reason: ConditionReason, message: string) => ConditionChange = unknownAny;

/** The conditions after `changes`, stamping `now` only where a status actually changed. */
export const applyConditionChanges: (
  conditions: MachineConditions,
  changes: readonly ConditionChange[],
  now: Date,
) => MachineConditions = applyAny;
