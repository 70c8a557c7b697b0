import { z } from 'zod';
import {
  ConditionsSchema,
  MachineAddressSchema,
  objectHeader,
  observedGeneration,
  SSHSecretRefSchema,
  V1Beta2StatusSchema,
} from './common.js';
import { dateTime, integer, notActedOn } from './fields.js';
import { HostSelectorSchema, InstallImageSchema } from './install-image.js';
import { ageColumn, readyConditionColumns, type KindDefinition } from './kind.js';

export * from './install-image.js';

export const SSHSpecSchema = z
  .object({
    secretRef: SSHSecretRefSchema.describe('The Secret with the SSH key of the installed operating system.'),
    noSSHAfterInstallImage: z
      .boolean()
      .optional()
      .describe('Do not SSH into the installed operating system (no hostname and cloud-init checks).'),
    portAfterInstallImage: integer().default(22).describe('SSH port of the installed operating system.'),
    portAfterCloudInit: integer().optional().describe(notActedOn('Deprecated in CAPH; has no effect.')),
  })
  .describe('SSH access to the installed operating system.');
export type SSHSpec = z.infer<typeof SSHSpecSchema>;

export const HetznerBareMetalMachineSpecSchema = z
  .object({
    providerID: z
      .string()
      .optional()
      .describe('hcloud://bm-<server ID> (or hrobot://<server ID>); set by the controller, never changed.'),
    installImage: InstallImageSchema,
    hostSelector: HostSelectorSchema.optional(),
    sshSpec: SSHSpecSchema.optional(),
    skipCheckDisk: z
      .boolean()
      .optional()
      .describe(notActedOn('Skip the disk health check (installimage mode only).')),
  })
  .describe('The desired state of the HetznerBareMetalMachine.');
export type HetznerBareMetalMachineSpec = z.infer<typeof HetznerBareMetalMachineSpecSchema>;
export type HetznerBareMetalMachineSpecInput = z.input<typeof HetznerBareMetalMachineSpecSchema>;

export const HetznerBareMetalMachineStatusSchema = z
  .object({
    lastUpdated: dateTime().optional().describe('When this status was last observed.'),
    failureReason: z
      .string()
      .optional()
      .describe(
        'Deprecated by Cluster API; set by imageurl (as older CAPH did) when the host reports a fatal error.',
      ),
    failureMessage: z
      .string()
      .optional()
      .describe(
        'Deprecated by Cluster API; set by imageurl (as older CAPH did) when the host reports a fatal error.',
      ),
    addresses: z.array(MachineAddressSchema).optional().describe('Addresses of the server.'),
    ready: z.boolean().optional().describe('True once the machine is usable as a node.'),
    phase: z.string().optional().describe('Phase of the machine (Pending, Provisioning, Running, …).'),
    conditions: ConditionsSchema.optional().describe('Conditions of the machine (v1beta1 form).'),
    v1beta2: V1Beta2StatusSchema.optional(),
    lastRemediatedAt: dateTime()
      .optional()
      .describe(notActedOn('When the last successful remediation finished.')),
    observedGeneration: observedGeneration(),
  })
  .describe('The observed state of the HetznerBareMetalMachine.');
export type HetznerBareMetalMachineStatus = z.infer<typeof HetznerBareMetalMachineStatusSchema>;

export const HetznerBareMetalMachineSchema = z.object({
  ...objectHeader('HetznerBareMetalMachine'),
  spec: HetznerBareMetalMachineSpecSchema,
  status: HetznerBareMetalMachineStatusSchema.optional(),
});
export type HetznerBareMetalMachine = z.infer<typeof HetznerBareMetalMachineSchema>;
export type HetznerBareMetalMachineInput = z.input<typeof HetznerBareMetalMachineSchema>;

export const hetznerBareMetalMachineKind: KindDefinition = {
  kind: 'HetznerBareMetalMachine',
  listKind: 'HetznerBareMetalMachineList',
  plural: 'hetznerbaremetalmachines',
  singular: 'hetznerbaremetalmachine',
  shortNames: ['hbmm'],
  categories: ['cluster-api'],
  scope: 'Namespaced',
  statusSubresource: true,
  description:
    'HetznerBareMetalMachine is a Cluster API machine on a Hetzner dedicated server (a HetznerBareMetalHost).',
  printerColumns: [
    {
      name: 'Cluster',
      type: 'string',
      jsonPath: '.metadata.labels.cluster\\.x-k8s\\.io/cluster-name',
      description: 'Cluster to which this HetznerBareMetalMachine belongs',
    },
    {
      name: 'Host',
      type: 'string',
      jsonPath: '.metadata.annotations.infrastructure\\.cluster\\.x-k8s\\.io/HetznerBareMetalHost',
      description: 'HetznerBareMetalHost',
    },
    {
      name: 'Machine',
      type: 'string',
      jsonPath: '.metadata.ownerReferences[?(@.kind=="Machine")].name',
      description: 'Machine object which owns this HetznerBareMetalMachine',
    },
    {
      name: 'Phase',
      type: 'string',
      jsonPath: '.status.phase',
      description: 'HetznerBareMetalMachine status such as Pending/Provisioning/Running etc',
    },
    ageColumn('Time duration since creation of HetznerBareMetalMachine'),
    ...readyConditionColumns('.status.conditions'),
  ],
  spec: HetznerBareMetalMachineSpecSchema,
  status: HetznerBareMetalMachineStatusSchema,
  object: HetznerBareMetalMachineSchema,
};
