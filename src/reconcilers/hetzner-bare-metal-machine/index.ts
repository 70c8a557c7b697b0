/** The HetznerBareMetalMachine reconciler: claims a HetznerBareMetalHost, mirrors it, releases it. */
export {
  addHetznerBareMetalMachineController,
  type BareMetalMachineControllerOptions,
} from './controller.js';
export { chooseHost, type HostChoice } from './host-choice.js';
export { compileSelector, type CompiledSelector } from './host-selector.js';
export {
  DEFAULT_TIMINGS,
  DEPRECATED_FINALIZER,
  FINALIZER,
  HOST_ANNOTATION,
  HROBOT_PROVIDER_ID_ANNOTATION,
  REMEDIATE_ANNOTATION,
  type BareMetalMachineDeps,
  type BareMetalMachineTimings,
} from './types.js';
