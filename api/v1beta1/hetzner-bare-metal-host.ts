import { z } from 'zod';
import {
  ConditionsSchema,
  ObjectReferenceSchema,
  objectHeader,
  SecretReferenceSchema,
  SSHKeySchema,
  V1Beta2StatusSchema,
} from './common.js';
import { bytes, dateTime, integer, notActedOn, requiredInCrd } from './fields.js';
import { HardwareDetailsSchema } from './hardware-details.js';
import { InstallImageSchema, SSHSpecSchema } from './hetzner-bare-metal-machine.js';
import { ageColumn, readyConditionColumns, type KindDefinition } from './kind.js';

export * from './hardware-details.js';

/** The provisioning states of a HetznerBareMetalHost (`spec.status.provisioningState`). */
export const ProvisioningState = {
  None: '',
  Preparing: 'preparing',
  Registering: 'registering',
  PreProvisioning: 'pre-provisioning',
  ImageInstalling: 'image-installing',
  EnsureProvisioned: 'ensure-provisioned',
  Provisioned: 'provisioned',
  Deprovisioning: 'deprovisioning',
  Deleting: 'deleting',
} as const;
export const ProvisioningStateSchema = z
  .enum([
    ProvisioningState.None,
    ProvisioningState.Preparing,
    ProvisioningState.Registering,
    ProvisioningState.PreProvisioning,
    ProvisioningState.ImageInstalling,
    ProvisioningState.EnsureProvisioned,
    ProvisioningState.Provisioned,
    ProvisioningState.Deprovisioning,
    ProvisioningState.Deleting,
  ])
  .describe('Where provisioning of the host stands.');
export type ProvisioningState = z.infer<typeof ProvisioningStateSchema>;

/** CAPH's error types (`spec.status.errorType`); fatal and permanent errors get the machine remediated. */
export const HostErrorType = {
  SSHRebootTriggered: 'ssh reboot triggered',
  SoftwareRebootTriggered: 'software reboot triggered',
  HardwareRebootTriggered: 'hardware reboot triggered',
  ConnectionError: 'connection refused error of SSH command',
  RegistrationError: 'registration error',
  PreparationError: 'preparation error',
  ProvisioningError: 'provisioning error',
  FatalError: 'fatal error',
  PermanentError: 'permanent error',
} as const;

/** Reboot types of the Robot API, plus `ssh` (a reboot command over SSH). */
export const RebootType = {
  Power: 'power',
  Software: 'sw',
  Hardware: 'hw',
  Manual: 'man',
  SSH: 'ssh',
} as const;

export const RootDeviceHintsSchema = z
  .object({
    wwn: z.string().optional().describe('WWN of the one disk to install on (no RAID).'),
    raid: z
      .object({ wwn: z.array(z.string()).optional().describe('WWNs of the RAID disks (two or more).') })
      .optional()
      .describe('Disks for a software RAID.'),
  })
  .describe('The disk(s) to install on: either wwn or raid.wwn (see spec.status.hardwareDetails.storage).');
export type RootDeviceHints = z.infer<typeof RootDeviceHintsSchema>;

const SecretStatusSchema = z.object({
  credentials: SecretReferenceSchema.optional().describe('The Secret last used.'),
  credentialsVersion: z.string().optional().describe('Its resourceVersion.'),
  credentialsDataHash: bytes().optional().describe('Hash of its data.'),
});

export const SSHStatusSchema = z
  .object({
    currentRescue: SecretStatusSchema.optional().describe('The rescue-system SSH key Secret last used.'),
    currentOS: SecretStatusSchema.optional().describe('The operating-system SSH key Secret last used.'),
    osKey: SSHKeySchema.optional().describe('Name and fingerprint of the operating-system key in Robot.'),
    rescueKey: SSHKeySchema.optional().describe('Name and fingerprint of the rescue key in Robot.'),
  })
  .describe('The SSH keys in use.');
export type SSHStatus = z.infer<typeof SSHStatusSchema>;

export const ControllerGeneratedStatusSchema = z
  .object({
    hetznerClusterRef: z.string().describe('Name of the HetznerCluster with the Robot credentials.'),
    userData: SecretReferenceSchema.optional().describe('The Secret with the bootstrap data.'),
    installImage: InstallImageSchema.optional().describe(
      'Copy of the machine’s installImage; cleared when the machine goes, which starts deprovisioning.',
    ),
    hardwareDetails: HardwareDetailsSchema.optional(),
    ipv4: z.string().optional().describe('IPv4 address of the server.'),
    ipv6: z.string().optional().describe('IPv6 address of the server (network + 1).'),
    rebootTypes: z.array(z.string()).optional().describe('Reboot types the Robot API offers.'),
    sshSpec: SSHSpecSchema.optional(),
    sshStatus: SSHStatusSchema.optional(),
    errorType: z.string().optional().describe('Class of the last error (see HostErrorType).'),
    errorCount: requiredInCrd(integer().default(0).describe('Errors since the last successful step.')),
    provisioningState: ProvisioningStateSchema.optional(),
    errorMessage: z.string().optional().describe('The last error message.'),
    lastUpdated: dateTime()
      .optional()
      .describe(notActedOn('Deprecated in CAPH (superseded by rebootTriggeredAt).')),
    rebootTriggeredAt: dateTime().optional().describe('When the last reboot was triggered.'),
    rebooted: z.boolean().optional().describe('Whether the server is being rebooted.'),
    nodeBootID: z
      .string()
      .optional()
      .describe(notActedOn('Boot ID of the workload cluster’s Node of this host.')),
    conditions: ConditionsSchema.optional().describe('Conditions of the host (v1beta1 form).'),
    v1beta2: V1Beta2StatusSchema.optional(),
  })
  .describe(
    'Status written by the controller. It lives in the spec because part of it cannot be ' +
      'regenerated; do not edit.',
  );
export type ControllerGeneratedStatus = z.infer<typeof ControllerGeneratedStatusSchema>;

export const HetznerBareMetalHostSpecSchema = z
  .object({
    serverID: integer().describe('Robot server number (see the Robot dashboard).'),
    rootDeviceHints: RootDeviceHintsSchema.optional(),
    consumerRef: ObjectReferenceSchema.optional().describe(
      'The HetznerBareMetalMachine using this host; set means "in use".',
    ),
    maintenanceMode: z
      .boolean()
      .optional()
      .describe('Deprovision the host (its Machine is remediated) and keep it unclaimed.'),
    description: z.string().optional().describe('Free text identifying the host.'),
    status: ControllerGeneratedStatusSchema.optional(),
  })
  .describe('The desired state of the HetznerBareMetalHost.');
export type HetznerBareMetalHostSpec = z.infer<typeof HetznerBareMetalHostSpecSchema>;
export type HetznerBareMetalHostSpecInput = z.input<typeof HetznerBareMetalHostSpecSchema>;

/** Empty, as in CAPH v1beta1: the host keeps its status in spec.status. */
export const HetznerBareMetalHostStatusSchema = z
  .object({})
  .describe('Empty: the host keeps its status in spec.status.');
export type HetznerBareMetalHostStatus = z.infer<typeof HetznerBareMetalHostStatusSchema>;

export const HetznerBareMetalHostSchema = z.object({
  ...objectHeader('HetznerBareMetalHost'),
  spec: HetznerBareMetalHostSpecSchema,
  status: HetznerBareMetalHostStatusSchema.optional(),
});
export type HetznerBareMetalHost = z.infer<typeof HetznerBareMetalHostSchema>;
export type HetznerBareMetalHostInput = z.input<typeof HetznerBareMetalHostSchema>;

const hostColumn = (
  name: string,
  jsonPath: string,
  description: string,
): KindDefinition['printerColumns'][0] => ({
  name,
  type: 'string',
  jsonPath,
  description,
});

export const hetznerBareMetalHostKind: KindDefinition = {
  kind: 'HetznerBareMetalHost',
  listKind: 'HetznerBareMetalHostList',
  plural: 'hetznerbaremetalhosts',
  singular: 'hetznerbaremetalhost',
  shortNames: ['hbmh'],
  categories: [],
  scope: 'Namespaced',
  statusSubresource: true,
  description:
    'HetznerBareMetalHost is a Hetzner dedicated server (Robot) that a HetznerBareMetalMachine can claim.',
  printerColumns: [
    hostColumn('Phase', '.spec.status.provisioningState', 'Phase of provisioning'),
    hostColumn('IPv4', '.spec.status.ipv4', 'IPv4 of the host'),
    hostColumn('IPv6', '.spec.status.ipv6', 'IPv6 of the host'),
    {
      name: 'Maintenance',
      type: 'boolean',
      jsonPath: '.spec.maintenanceMode',
      description: 'Maintenance Mode',
    },
    hostColumn('CPU', '.spec.status.hardwareDetails.cpu.threads', 'CPU threads'),
    hostColumn('RAM', '.spec.status.hardwareDetails.ramGB', 'RAM in GB'),
    hostColumn(
      'HetznerBareMetalMachine',
      '.spec.consumerRef.name',
      'HetznerBareMetalMachine using this host',
    ),
    ageColumn('Time duration since creation of BaremetalHost'),
    ...readyConditionColumns('.spec.status.conditions'),
  ],
  spec: HetznerBareMetalHostSpecSchema,
  status: HetznerBareMetalHostStatusSchema,
  object: HetznerBareMetalHostSchema,
};
