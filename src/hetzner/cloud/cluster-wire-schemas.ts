import { z } from 'zod';

/** The parts of networks, placement groups and load balancers this client reads (docs.hetzner.cloud). */
const labels = z.record(z.string(), z.string()).nullish();

export const networkSchema = z.object({
  id: z.number(),
  name: z.string(),
  ip_range: z.string(),
  subnets: z.array(z.object({ ip_range: z.string().nullish(), network_zone: z.string() })).nullish(),
  labels,
  servers: z.array(z.number()).nullish(),
});
export const networkEnvelopeSchema = z.object({ network: networkSchema });
export const networkListSchema = z.object({ networks: z.array(networkSchema) });

export const placementGroupSchema = z.object({
  id: z.number(),
  name: z.string(),
  type: z.string(),
  labels,
  servers: z.array(z.number()).nullish(),
});
export const placementGroupEnvelopeSchema = z.object({ placement_group: placementGroupSchema });
export const placementGroupListSchema = z.object({ placement_groups: z.array(placementGroupSchema) });

const serviceSchema = z.object({
  protocol: z.enum(['tcp', 'http', 'https']),
  listen_port: z.number(),
  destination_port: z.number(),
  proxyprotocol: z.boolean().nullish(),
});

const targetSchema = z.object({
  type: z.string(),
  server: z.object({ id: z.number() }).nullish(),
  use_private_ip: z.boolean().nullish(),
  ip: z.object({ ip: z.string() }).nullish(),
  label_selector: z.object({ selector: z.string() }).nullish(),
});

export const loadBalancerSchema = z.object({
  id: z.number(),
  name: z.string(),
  labels,
  load_balancer_type: z.object({ name: z.string() }),
  algorithm: z.object({ type: z.string() }),
  location: z.object({ name: z.string() }),
  public_net: z
    .object({
      ipv4: z.object({ ip: z.string().nullish() }).nullish(),
      ipv6: z.object({ ip: z.string().nullish() }).nullish(),
    })
    .nullish(),
  private_net: z.array(z.object({ network: z.number(), ip: z.string() })).nullish(),
  services: z.array(serviceSchema).nullish(),
  targets: z.array(targetSchema).nullish(),
  protection: z.object({ delete: z.boolean() }).nullish(),
});
export const loadBalancerEnvelopeSchema = z.object({ load_balancer: loadBalancerSchema });
export const loadBalancerListSchema = z.object({ load_balancers: z.array(loadBalancerSchema) });

export type WireNetwork = z.infer<typeof networkSchema>;
export type WirePlacementGroup = z.infer<typeof placementGroupSchema>;
export type WireLoadBalancer = z.infer<typeof loadBalancerSchema>;
