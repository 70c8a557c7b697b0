import { z } from 'zod';

/** What one `imageurl provision` run was asked for; kept in the state file (no secrets: paths only). */
export const provisionRequestSchema = z.object({
  name: z.string(),
  imageUrl: z.string(),
  /** Absolute path of the image-url-command. */
  commandFile: z.string(),
  /** Absolute path of the bootstrap data (cloud-init or Ignition), read anew by every run. */
  bootstrapDataFile: z.string().optional(),
  /** Absolute path of the private key root logs in to the rescue system with. */
  sshKeyFile: z.string(),
  target: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('hcloud'), serverType: z.string(), location: z.string().optional() }),
    z.object({
      kind: z.literal('robot'),
      serverId: z.number().int().positive(),
      /** One WWN: that disk; two or more: a software RAID over them. */
      rootDeviceWwns: z.array(z.string()).min(1),
      /** `ssh`: the installed OS must answer SSH with the same key and the name as hostname. */
      osCheck: z.enum(['ssh', 'none']),
    }),
  ]),
});

export type ProvisionRequest = z.infer<typeof provisionRequestSchema>;
export type ProvisionTarget = ProvisionRequest['target'];

/** The flags of this run that differ from the run in progress, as `--flag` names. */
export function differingFlags(stored: ProvisionRequest, given: ProvisionRequest): string[] {
  const pairs: [string, unknown, unknown][] = [
    ['--image-url', stored.imageUrl, given.imageUrl],
    ['--command', stored.commandFile, given.commandFile],
    ['--bootstrap-data', stored.bootstrapDataFile, given.bootstrapDataFile],
    ['--ssh-key', stored.sshKeyFile, given.sshKeyFile],
    ['--type / --robot-server', JSON.stringify(stored.target), JSON.stringify(given.target)],
  ];
  return pairs.filter(([, a, b]) => a !== b).map(([flag]) => flag);
}
