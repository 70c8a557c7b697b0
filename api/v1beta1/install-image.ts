import { z } from 'zod';
import { notActedOn } from './fields.js';

/** What CAPH passes as the device argument of the image-url-command. */
export const DeviceStringType = { Default: '', Short: 'short', WWN: 'wwn' } as const;
export const DeviceStringTypeSchema = z
  .enum([DeviceStringType.Default, DeviceStringType.Short, DeviceStringType.WWN])
  .describe(
    'Device argument of imageURLCommand: "" or "short" pass kernel names (sda, nvme0n1), "wwn" the ' +
      'WWNs of rootDeviceHints. Only with imageURLCommand.',
  );
export type DeviceStringType = z.infer<typeof DeviceStringTypeSchema>;

export const ImageSchema = z
  .object({
    url: z
      .string()
      .optional()
      .describe('URL of the image; with imageURLCommand, the URL the command installs.'),
    name: z
      .string()
      .optional()
      .describe(notActedOn('Archive name for installimage; must be empty with imageURLCommand.')),
    path: z
      .string()
      .optional()
      .describe(notActedOn('Path of an image in the rescue system; must be empty with imageURLCommand.')),
  })
  .describe('The image to install.');
export type Image = z.infer<typeof ImageSchema>;

export const PartitionSchema = z.object({
  mount: z.string().describe('Mount point, `lvm` for a volume group, or `btrfs.<name>`.'),
  fileSystem: z.string().describe('File system (ext4, xfs, swap, …) or volume group name.'),
  size: z.string().describe('Size with M/G/T units, or `all`.'),
});
export type Partition = z.infer<typeof PartitionSchema>;

export const LVMDefinitionSchema = z.object({
  vg: z.string().describe('Volume group.'),
  name: z.string().describe('Logical volume name.'),
  mount: z.string().describe('Mount point.'),
  filesystem: z.string().describe('File system.'),
  size: z.string().describe('Size with M/G/T units.'),
});
export type LVMDefinition = z.infer<typeof LVMDefinitionSchema>;

export const BTRFSDefinitionSchema = z.object({
  volume: z.string().describe('btrfs volume.'),
  subvolume: z.string().describe('Subvolume name.'),
  mount: z.string().describe('Mount point.'),
});
export type BTRFSDefinition = z.infer<typeof BTRFSDefinitionSchema>;

export const InstallImageSchema = z
  .object({
    image: ImageSchema,
    imageURLCommand: z
      .string()
      .optional()
      .describe(
        'Basename of the command below /shared in the controller pod that installs image.url in the ' +
          'rescue system instead of installimage.',
      ),
    deviceStringType: DeviceStringTypeSchema.optional(),
    postInstallScript: z
      .string()
      .optional()
      .describe(notActedOn('Bash script installimage runs after installing (installimage mode only).')),
    partitions: z
      .array(PartitionSchema)
      .describe(notActedOn('Partitions installimage creates (installimage mode only; may be empty).')),
    logicalVolumeDefinitions: z
      .array(LVMDefinitionSchema)
      .optional()
      .describe(notActedOn('LVM logical volumes (installimage mode only).')),
    btrfsDefinitions: z
      .array(BTRFSDefinitionSchema)
      .optional()
      .describe(notActedOn('btrfs subvolumes (installimage mode only).')),
    swraid: z
      .literal([0, 1])
      .default(0)
      .describe('1: software RAID over the rootDeviceHints.raid disks (also selects such hosts).'),
    swraidLevel: z
      .literal([0, 1, 5, 6, 10])
      .default(1)
      .describe(notActedOn('RAID level when swraid is 1 (installimage mode only).')),
  })
  .describe('How the operating system is installed.');
export type InstallImage = z.infer<typeof InstallImageSchema>;

export const HostSelectorRequirementSchema = z.object({
  key: z.string().describe('Label key.'),
  operator: z.string().describe('Selection operator (In, NotIn, Exists, DoesNotExist, Gt, Lt, …).'),
  values: z.array(z.string()).describe('Values the operator compares the label value with.'),
});
export type HostSelectorRequirement = z.infer<typeof HostSelectorRequirementSchema>;

export const HostSelectorSchema = z
  .object({
    matchLabels: z
      .record(z.string(), z.string())
      .optional()
      .describe('Labels the chosen HetznerBareMetalHost must have.'),
    matchExpressions: z
      .array(HostSelectorRequirementSchema)
      .optional()
      .describe('Label expressions the chosen HetznerBareMetalHost must satisfy.'),
  })
  .describe('Which HetznerBareMetalHosts this machine may claim.');
export type HostSelector = z.infer<typeof HostSelectorSchema>;
