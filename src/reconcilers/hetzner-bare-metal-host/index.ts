/** The HetznerBareMetalHost reconciler: Kubernetes around the bare-metal core (src/baremetal). */
export { addHetznerBareMetalHostController, type BareMetalHostControllerOptions } from './controller.js';
export { HostProvisioningMetrics } from './host-metrics.js';
export { RobotApiMetrics } from './robot-api-metrics.js';
export { FINALIZER, HOST_STATE_ANNOTATION, type BareMetalHostDeps } from './types.js';
