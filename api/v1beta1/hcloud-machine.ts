import { z } from 'zod';
import {
  ConditionsSchema,
  MachineAddressSchema,
  objectHeader,
  observedGeneration,
  RegionSchema,
  SSHKeySchema,
  V1Beta2StatusSchema,
} from './common.js';
import { dateTime, int64, notActedOn } from './fields.js';
import { ageColumn, readyConditionColumns, type KindDefinition } from './kind.js';

/** The boot states of an HCloudMachine, in the order the image-url flow passes them. */
export const HCloudBootState = {
  Unset: '',
  Initializing: 'Initializing',
  EnablingRescue: 'EnablingRescue',
  BootingToRescue: 'BootingToRescue',
  RunningImageCommand: 'RunningImageCommand',
  BootingToRealOS: 'BootingToRealOS',
  OperatingSystemRunning: 'OperatingSystemRunning',
  ProvisioningFailed: 'ProvisioningFailed',
} as const;

export const HCloudBootStateSchema = z
  .enum([
    HCloudBootState.Unset,
    HCloudBootState.Initializing,
    HCloudBootState.EnablingRescue,
    HCloudBootState.BootingToRescue,
    HCloudBootState.RunningImageCommand,
    HCloudBootState.BootingToRealOS,
    HCloudBootState.OperatingSystemRunning,
    HCloudBootState.ProvisioningFailed,
  ])
  .describe(
    'Where provisioning stands. imageURL: "" → Initializing → EnablingRescue → BootingToRescue → ' +
      'RunningImageCommand → BootingToRealOS → OperatingSystemRunning; imageName: "" → ' +
      'BootingToRealOS → OperatingSystemRunning; any fatal failure → ProvisioningFailed (terminal).',
  );
export type HCloudBootState = z.infer<typeof HCloudBootStateSchema>;

export const PublicNetworkSpecSchema = z
  .object({
    enableIPv4: z
      .boolean()
      .default(true)
      .describe('Give the server a public IPv4 address (forced on when the cluster has no private network).'),
    enableIPv6: z.boolean().default(true).describe('Give the server a public IPv6 network.'),
  })
  .describe('The public addresses of the server (the primary IPs).');
export type PublicNetworkSpec = z.infer<typeof PublicNetworkSpecSchema>;

export const HCloudMachineSpecSchema = z
  .object({
    providerID: z
      .string()
      .optional()
      .describe('hcloud://<server ID>; set by the controller once the server exists.'),
    type: z
      .string()
      .describe(
        'Hetzner Cloud server type, for example cpx22 (`hcloud server-type list`). Not checked against a list.',
      ),
    imageName: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Name of a Hetzner Cloud image, or the caph-image-name label of a snapshot, of the server ' +
          "type's architecture; the server starts from it with the bootstrap data as user data. " +
          'Mutually exclusive with imageURL.',
      ),
    imageURL: z
      .string()
      .min(1)
      .optional()
      .describe(
        'URL of the node image. When set, the server boots into the rescue system and ' +
          'imageURLCommand installs the image from this URL. Mutually exclusive with imageName.',
      ),
    imageURLCommand: z
      .string()
      .optional()
      .describe(
        'Basename of the command below /shared in the controller pod that installs imageURL in the ' +
          'rescue system. Required when imageURL is set, empty otherwise.',
      ),
    sshKeys: z
      .array(SSHKeySchema)
      .optional()
      .describe('Hetzner Cloud SSH keys for this machine; replace the cluster-wide keys.'),
    placementGroupName: z
      .string()
      .optional()
      .describe('Placement group of the server; must be one of the HetznerCluster’s placement groups.'),
    publicNetwork: PublicNetworkSpecSchema.optional(),
  })
  .describe('The desired state of the HCloudMachine.');
export type HCloudMachineSpec = z.infer<typeof HCloudMachineSpecSchema>;
export type HCloudMachineSpecInput = z.input<typeof HCloudMachineSpecSchema>;

export const HCloudMachineStatusExternalIDsSchema = z
  .object({
    actionIdEnableRescueSystem: int64()
      .optional()
      .describe('Hetzner Cloud action ID of "enable rescue"; -1 once the action finished.'),
    actionIdCreateServer: int64()
      .optional()
      .describe('Hetzner Cloud action ID of "create server"; -1 once the action finished.'),
  })
  .describe('Hetzner action IDs kept while provisioning; reset once the operating system runs.');
export type HCloudMachineStatusExternalIDs = z.infer<typeof HCloudMachineStatusExternalIDsSchema>;

export const HCloudMachineStatusSchema = z
  .object({
    ready: z.boolean().optional().describe('True once the machine is usable as a node.'),
    addresses: z
      .array(MachineAddressSchema)
      .optional()
      .describe('Public IPv4, public IPv6 (network + 1) and private addresses, in that order.'),
    region: RegionSchema.optional().describe('The location the server runs in.'),
    sshKeys: z.array(SSHKeySchema).optional().describe('The SSH keys the server was created with.'),
    instanceState: z
      .string()
      .optional()
      .describe('Status of the server in the Hetzner Cloud API (running, off, …; deleting while deleted).'),
    failureReason: z
      .string()
      .optional()
      .describe(notActedOn('Deprecated by Cluster API; never set by imageurl.')),
    failureMessage: z
      .string()
      .optional()
      .describe(notActedOn('Deprecated by Cluster API; never set by imageurl.')),
    conditions: ConditionsSchema.optional().describe('Conditions of the HCloudMachine (v1beta1 form).'),
    v1beta2: V1Beta2StatusSchema.optional(),
    bootState: HCloudBootStateSchema.optional(),
    bootStateSince: dateTime()
      .optional()
      .describe('When bootState last changed; the per-state timeouts count from here.'),
    externalIDs: HCloudMachineStatusExternalIDsSchema.optional(),
    lastRemediatedAt: dateTime()
      .optional()
      .describe(
        'When the last successful remediation finished; a remediation within its cooldown of it replaces the machine instead of rebooting it.',
      ),
    observedGeneration: observedGeneration(),
  })
  .describe('The observed state of the HCloudMachine.');
export type HCloudMachineStatus = z.infer<typeof HCloudMachineStatusSchema>;

export const HCloudMachineSchema = z.object({
  ...objectHeader('HCloudMachine'),
  spec: HCloudMachineSpecSchema,
  status: HCloudMachineStatusSchema.optional(),
});
export type HCloudMachine = z.infer<typeof HCloudMachineSchema>;
export type HCloudMachineInput = z.input<typeof HCloudMachineSchema>;

export const hcloudMachineKind: KindDefinition = {
  kind: 'HCloudMachine',
  listKind: 'HCloudMachineList',
  plural: 'hcloudmachines',
  singular: 'hcloudmachine',
  shortNames: ['hcma'],
  categories: ['cluster-api'],
  scope: 'Namespaced',
  statusSubresource: true,
  description: 'HCloudMachine is a Hetzner Cloud server that is (or becomes) a Cluster API machine.',
  printerColumns: [
    {
      name: 'Cluster',
      type: 'string',
      jsonPath: '.metadata.labels.cluster\\.x-k8s\\.io/cluster-name',
      description: 'Cluster to which this HCloudMachine belongs',
    },
    {
      name: 'Machine',
      type: 'string',
      jsonPath: '.metadata.ownerReferences[?(@.kind=="Machine")].name',
      description: 'Machine object which owns this HCloudMachine',
    },
    {
      name: 'Phase',
      type: 'string',
      jsonPath: '.status.instanceState',
      description: 'Status of the server in the Hetzner Cloud API',
    },
    {
      name: 'BootState',
      type: 'string',
      jsonPath: '.status.bootState',
      description: 'Provisioning step of the machine',
    },
    { name: 'Ready', type: 'boolean', jsonPath: '.status.ready', description: 'Machine is usable as a node' },
    {
      name: 'ProviderID',
      type: 'string',
      jsonPath: '.spec.providerID',
      description: 'hcloud://<server ID>',
    },
    ageColumn('Time since the HCloudMachine was created'),
    ...readyConditionColumns('.status.conditions'),
  ],
  spec: HCloudMachineSpecSchema,
  status: HCloudMachineStatusSchema,
  object: HCloudMachineSchema,
};
