/** The HCloudRemediation reconciler: CAPH's reboot remediation for Cluster API's MachineHealthCheck. */
export { addHCloudRemediationController, hcloudRemediations } from './controller.js';
export type { HCloudRemediationDeps } from './types.js';
