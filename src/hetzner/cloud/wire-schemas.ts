import { z } from 'zod';

/** The parts of the Cloud API's objects this client reads (docs.hetzner.cloud); the rest is ignored. */
export const actionSchema = z.object({
  id: z.number(),
  command: z.string(),
  status: z.string(),
  progress: z.number().nullish(),
  started: z.string().nullish(),
  finished: z.string().nullish(),
  error: z.object({ code: z.string(), message: z.string() }).nullish(),
});

export const serverSchema = z.object({
  id: z.number(),
  name: z.string(),
  status: z.string(),
  labels: z.record(z.string(), z.string()).nullish(),
  rescue_enabled: z.boolean().nullish(),
  public_net: z
    .object({
      ipv4: z.object({ ip: z.string() }).nullish(),
      ipv6: z.object({ ip: z.string() }).nullish(),
    })
    .nullish(),
  private_net: z.array(z.object({ network: z.number(), ip: z.string() })).nullish(),
});

export const createdServerSchema = z.object({ server: serverSchema, action: actionSchema });
export const serverEnvelopeSchema = z.object({ server: serverSchema });
export const serverListSchema = z.object({ servers: z.array(serverSchema) });
export const actionEnvelopeSchema = z.object({ action: actionSchema });
export const actionListSchema = z.object({ actions: z.array(actionSchema) });
export const serverTypeListSchema = z.object({
  server_types: z.array(z.object({ id: z.number(), name: z.string(), architecture: z.string() })),
});
export const imageSchema = z.object({
  id: z.number(),
  name: z.string().nullish(),
  architecture: z.string(),
  type: z.string().nullish(),
  description: z.string().nullish(),
  labels: z.record(z.string(), z.string()).nullish(),
  rapid_deploy: z.boolean().nullish(),
});
export const imageListSchema = z.object({
  images: z.array(imageSchema),
  meta: z.object({ pagination: z.object({ next_page: z.number().nullish() }).nullish() }).nullish(),
});
export const sshKeyListSchema = z.object({
  ssh_keys: z.array(z.object({ id: z.number(), name: z.string() })),
});

export type WireServer = z.infer<typeof serverSchema>;
export type WireAction = z.infer<typeof actionSchema>;
export type WireImage = z.infer<typeof imageSchema>;

/** The error envelope of every 4xx/5xx answer (docs.hetzner.cloud, "Errors"). */
export const errorEnvelopeSchema = z.object({
  error: z.object({ code: z.string(), message: z.string().nullish(), details: z.unknown().optional() }),
});
