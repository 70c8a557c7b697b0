import type { KindAdmission } from '../kind-admission.js';
import { hcloudMachineAdmission } from './hcloud-machine.js';
import { hcloudMachineTemplateAdmission } from './hcloud-machine-template.js';
import { hcloudRemediationAdmission } from './hcloud-remediation.js';
import { hcloudRemediationTemplateAdmission } from './hcloud-remediation-template.js';
import { hetznerBareMetalHostAdmission } from './hetzner-bare-metal-host.js';
import { hetznerBareMetalMachineAdmission } from './hetzner-bare-metal-machine.js';
import { hetznerBareMetalMachineTemplateAdmission } from './hetzner-bare-metal-machine-template.js';
import { hetznerClusterAdmission } from './hetzner-cluster.js';

/** The admission rules of every kind imageurl serves; the webhook server and `imageurl validate` use this list. */
export function allKindAdmissions(): readonly KindAdmission[] {
  return [
    hcloudMachineAdmission,
    hcloudMachineTemplateAdmission,
    hcloudRemediationAdmission,
    hcloudRemediationTemplateAdmission,
    hetznerClusterAdmission,
    hetznerBareMetalMachineAdmission,
    hetznerBareMetalMachineTemplateAdmission,
    hetznerBareMetalHostAdmission,
  ];
}
