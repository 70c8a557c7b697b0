import { z } from 'zod';

/**
 * The parts of Robot's objects this client reads (Robot docs); everything else, the
 * rescue `password` above all, is dropped while parsing and never held.
 */
export const serverSchema = z.object({
  server_number: z.number(),
  server_name: z.string(),
  server_ip: z.string().nullish(),
  server_ipv6_net: z.string().nullish(),
  product: z.string(),
  dc: z.string(),
  status: z.string(),
  cancelled: z.boolean(),
  rescue: z.boolean().nullish(),
  reset: z.boolean().nullish(),
});

const keyReferenceSchema = z.object({ key: z.object({ fingerprint: z.string() }) });

/** `os` is the list of choices while inactive and the chosen system while active. */
export const rescueSchema = z.object({
  server_number: z.number(),
  active: z.boolean(),
  os: z.union([z.string(), z.array(z.string())]),
  authorized_key: z.array(keyReferenceSchema).nullish(),
  /** Undocumented content: kept raw and read defensively (./rescue-host-keys.ts). */
  host_key: z.unknown().optional(),
});

/** The doc's example of `POST /reset/{n}` omits `server_number`; its field table has it. */
export const resetSchema = z.object({
  server_number: z.number().nullish(),
  type: z.union([z.string(), z.array(z.string())]),
  operating_status: z.string().nullish(),
});

export const sshKeySchema = z.object({
  name: z.string(),
  fingerprint: z.string(),
  type: z.string(),
  size: z.number(),
});

export const serverEnvelopeSchema = z.object({ server: serverSchema });
export const rescueEnvelopeSchema = z.object({ rescue: rescueSchema });
export const resetEnvelopeSchema = z.object({ reset: resetSchema });
export const sshKeyEnvelopeSchema = z.object({ key: sshKeySchema });
/** Lists are JSON arrays of wrappers: `[{"key": {...}}, …]` (Robot docs). */
export const sshKeyListSchema = z.array(sshKeyEnvelopeSchema);

export type WireServer = z.infer<typeof serverSchema>;
export type WireRescue = z.infer<typeof rescueSchema>;
export type WireReset = z.infer<typeof resetSchema>;
export type WireSshKey = z.infer<typeof sshKeySchema>;

/** Extras are read leniently: an odd value there must not hide the error's code. */
const count = z.number().int().positive().nullish().catch(undefined);
const names = z.array(z.string()).nullish().catch(undefined);

/**
 * The error envelope (Robot docs, errors): `status`, `code`, `message`, plus `missing`/`invalid` for
 * `INVALID_INPUT` and the limit (`max_request` documented, `max_requests` sent) with its
 * `interval` in seconds for `RATE_LIMIT_EXCEEDED`.
 */
export const errorEnvelopeSchema = z.object({
  error: z.object({
    status: z.number().nullish(),
    code: z.string(),
    message: z.string().nullish(),
    missing: names,
    invalid: names,
    max_request: count,
    max_requests: count,
    interval: count,
  }),
});

export type WireError = z.infer<typeof errorEnvelopeSchema>['error'];
