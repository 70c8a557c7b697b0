/**
 * The provisioning core: the hcloud image-url boot state machine as a data table, one handler
 * per state, one dispatcher that writes bootState, and deletion. It knows only ports
 * (src/ports/): no Kubernetes, no HTTP. The kube reconciler and `imageurl provision` drive it.
 */
export { bootStates, bootStateLabel, isBootState, type BootState } from './boot-state.js';
export { bootStateTable, stateSpecOf, timeoutMsOf, type StateSpec, type StateTimeout } from './states.js';
export {
  createProvisioner,
  type Provisioner,
  type ProvisionerOptions,
  type ProvisionerPorts,
  type ReconcileOutcome,
} from './dispatcher.js';
export type { DeletionOutcome } from './deletion.js';
export type { BootTransition } from './boot-machine.js';
export {
  ACTION_DONE,
  initialStatus,
  type ExternalIDs,
  type MachineAddress,
  type MachineInput,
  type MachineStatus,
  type RescueKeyInput,
} from './machine.js';
export type {
  ConditionSeverity,
  ConditionStatus,
  MachineCondition,
  MachineConditions,
} from './conditions.js';
export {
  conditionReasons,
  reasonStrings,
  v1beta1Types,
  v1beta2Types,
  type ConditionReason,
  type ConditionType,
} from './reasons.js';
export { toRequeue, type Requeue, type StepResult, type StatusChanges } from './step-result.js';
export {
  defaultSettings,
  resolveSettings,
  type ProvisioningSettings,
  type SettingsOverrides,
} from './settings.js';
export { providerIdOf, serverIdOf } from './provider-id.js';
export { NAMESPACE_LABEL, VerifiedServers } from './server-ownership.js';
export { WaitBook } from './wait-book.js';
export { renderStateMachineDoc } from './state-machine-doc.js';
