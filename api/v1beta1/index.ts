import { hcloudMachineKind } from './hcloud-machine.js';
import { hcloudMachineTemplateKind } from './hcloud-machine-template.js';
import { hcloudRemediationKind } from './hcloud-remediation.js';
import { hcloudRemediationTemplateKind } from './hcloud-remediation-template.js';
import { hetznerBareMetalHostKind } from './hetzner-bare-metal-host.js';
import { hetznerBareMetalMachineKind } from './hetzner-bare-metal-machine.js';
import { hetznerBareMetalMachineTemplateKind } from './hetzner-bare-metal-machine-template.js';
import { hetznerClusterKind } from './hetzner-cluster.js';
import type { KindDefinition } from './kind.js';

export * from './annotations.js';
export * from './common.js';
export * from './examples.js';
export * from './fields.js';
export * from './hcloud-machine.js';
export * from './hcloud-machine-template.js';
export * from './hcloud-remediation.js';
export * from './hcloud-remediation-template.js';
export * from './hetzner-bare-metal-host.js';
export * from './hetzner-bare-metal-machine.js';
export * from './hetzner-bare-metal-machine-template.js';
export * from './hetzner-cluster.js';
export * from './kind.js';
export * from './oci-registry-auth.js';
export * from './remediation-strategy.js';

/** Every kind imageurl serves, in the order their CRDs are listed. */
export const kinds: readonly KindDefinition[] = [
  hcloudMachineKind,
  hcloudMachineTemplateKind,
  hcloudRemediationKind,
  hcloudRemediationTemplateKind,
  hetznerBareMetalHostKind,
  hetznerBareMetalMachineKind,
  hetznerBareMetalMachineTemplateKind,
  hetznerClusterKind,
];
