/** The HCloudMachine reconciler: Kubernetes around the provisioning core (src/provisioning). */
export { addHCloudMachineController, type HCloudMachineControllerOptions } from './controller.js';
export type { HCloudMachineDeps } from './phases.js';
export { FINALIZER, REMEDIATE_ANNOTATION, STATE_ANNOTATION } from './types.js';
export { HcloudApiMetrics } from './hcloud-api-metrics.js';
export { ProvisioningMetrics } from './provisioning-metrics.js';
