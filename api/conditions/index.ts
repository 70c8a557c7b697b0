/**
 * Condition types and reasons, the only place their strings are written: one vocabulary per kind,
 * each condition type with its v1beta1 and v1beta2 spellings.
 */
export * from './format.js';
export * from './shared.js';
export { HCloudMachineConditions } from './hcloud-machine.js';
export { HetznerBareMetalHostConditions } from './hetzner-bare-metal-host.js';
export { HetznerBareMetalMachineConditions } from './hetzner-bare-metal-machine.js';
export { HetznerClusterConditions } from './hetzner-cluster.js';
export { HCloudRemediationConditions, MachineRemediationConditions } from './hcloud-remediation.js';
