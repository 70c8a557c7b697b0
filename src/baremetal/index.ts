/**
 * The bare-metal provisioning core: the HetznerBareMetalHost image-url flow as a data table on
 * the state-machine engine (src/state-machine), one handler per state. It knows only ports
 * (Robot servers, rescue system, command resolver, clock, event sink): no Kubernetes, no HTTP.
 */
export { hostStates, hostStateLabel, isHostState, type HostState } from './host-state.js';
export {
  hostErrorTypes,
  hostnameOf,
  initialHostStatus,
  isFatalErrorType,
  type DeviceStringType,
  type HostErrorType,
  type HostInput,
  type HostRebootType,
  type HostRescueKey,
  type HostStatus,
  type HostStorage,
  type OsCheck,
  type ProvisioningRequest,
  type RobotKeyRef,
  type RootDeviceHints,
} from './host.js';
export {
  createHostProvisioner,
  type HostProvisioner,
  type HostProvisionerOptions,
  type HostProvisionerPorts,
  type HostReconcileOutcome,
} from './dispatcher.js';
export type { HostTransition } from './host-machine.js';
export { hostStateTable } from './states.js';
export {
  hostConditionReasons,
  hostReasonStrings,
  hostV1beta1Types,
  hostV1beta2Types,
  type HostConditionChange,
  type HostConditionReason,
  type HostConditions,
  type HostConditionType,
} from './reasons.js';
export {
  defaultBareMetalSettings,
  hostTimeoutDefaults,
  resolveBareMetalSettings,
  type BareMetalSettings,
  type BareMetalSettingsOverrides,
  type HostRequeueSettings,
} from './settings.js';
export { checkRootDevices, rootDeviceArgs, storageOf, type DeviceProblem } from './root-devices.js';
export { renderHostStateMachineDoc } from './state-machine-doc.js';
