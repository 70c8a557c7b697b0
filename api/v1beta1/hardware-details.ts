import { z } from 'zod';
import { integer, int64 } from './fields.js';

export const CPUSchema = z.object({
  arch: z.string().optional().describe('Architecture, for example x86_64.'),
  model: z.string().optional().describe('Model name.'),
  // CAPH's CRD says `format: double`, which kube-apiserver does not know for strings (it warns
  // "unrecognized format" on every apply and ignores it), so it is left out.
  clockGigahertz: z.string().optional().describe('Clock speed in GHz, as a decimal string.'),
  flags: z.array(z.string()).optional().describe('CPU flags.'),
  threads: integer().optional().describe('Number of hardware threads.'),
  cores: integer().optional().describe('Number of cores.'),
});
export type CPU = z.infer<typeof CPUSchema>;

export const StorageSchema = z.object({
  name: z
    .string()
    .optional()
    .describe('Kernel device name; left empty when stored, because it changes across reboots.'),
  sizeBytes: int64().optional().describe('Size in bytes.'),
  sizeGB: int64().optional().describe('Size in GB.'),
  vendor: z.string().optional().describe('Vendor of the device.'),
  model: z.string().optional().describe('Hardware model.'),
  serialNumber: z.string().optional().describe('Serial number.'),
  wwn: z.string().optional().describe('World Wide Name of the device (what rootDeviceHints name).'),
  hctl: z.string().optional().describe('SCSI host:channel:target:lun.'),
  rota: z.boolean().optional().describe('True for rotating disks (HDD).'),
});
export type Storage = z.infer<typeof StorageSchema>;

export const NICSchema = z.object({
  name: z.string().optional().describe('Interface name, for example eth0.'),
  model: z.string().optional().describe('Vendor and product IDs.'),
  mac: z
    .string()
    .regex(/[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}/)
    .optional()
    .describe('MAC address.'),
  ip: z.string().optional().describe('IPv4 or IPv6 address (one NIC entry per address).'),
  speedMbps: integer().optional().describe('Link speed in Mbit/s.'),
});
export type NIC = z.infer<typeof NICSchema>;

export const HardwareDetailsSchema = z
  .object({
    ramGB: integer().optional().describe('Memory in GB.'),
    nics: z.array(NICSchema).optional(),
    storage: z.array(StorageSchema).optional(),
    cpu: CPUSchema.optional(),
  })
  .describe('Hardware found in the rescue system; gathered by the controller, not to be edited.');
export type HardwareDetails = z.infer<typeof HardwareDetailsSchema>;
