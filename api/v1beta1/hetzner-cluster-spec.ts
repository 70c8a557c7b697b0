import { z } from 'zod';
import { APIEndpointSchema, RegionSchema, SSHKeySchema, SSHSecretRefSchema } from './common.js';
import { integer, notActedOn, requiredInCrd } from './fields.js';
import { OCIRegistryAuthSchema } from './oci-registry-auth.js';

const port = (what: string): z.ZodOptional<z.ZodInt> =>
  integer().min(1).max(65535).optional().describe(`${what} (1-65535).`);

export const LoadBalancerServiceSpecSchema = z.object({
  protocol: z.enum(['http', 'https', 'tcp']).optional().describe('Protocol of the service.'),
  listenPort: port('Port the load balancer listens on'),
  destinationPort: port('Port on the servers'),
});
export type LoadBalancerServiceSpec = z.infer<typeof LoadBalancerServiceSpecSchema>;

export const LoadBalancerSpecSchema = z
  .object({
    enabled: z.boolean().default(true).describe('Whether a load balancer is created.'),
    name: z.string().optional().describe('Name of the load balancer; set it to use an existing one.'),
    algorithm: z
      .enum(['round_robin', 'least_connections'])
      .default('round_robin')
      .describe('How the load balancer picks a target.'),
    type: z.enum(['lb11', 'lb21', 'lb31']).default('lb11').describe('Hetzner load balancer type.'),
    port: integer()
      .min(1)
      .max(65535)
      .default(6443)
      .describe('Port of the Kubernetes API on the load balancer (1-65535).'),
    extraServices: z
      .array(LoadBalancerServiceSpecSchema)
      .optional()
      .describe('More services the load balancer routes to the control-plane servers.'),
    region: RegionSchema.optional().describe('Location of the load balancer.'),
    enableProxyProtocol: z
      .boolean()
      .optional()
      .describe('Use the PROXY protocol for the Kubernetes API service (cannot be turned off again).'),
    targetAddressFamily: z
      .enum(['ipv4', 'ipv6', 'dualstack'])
      .optional()
      .describe('Which addresses of bare-metal control-plane servers become targets; empty means dualstack.'),
  })
  .describe('The control-plane load balancer.');
export type LoadBalancerSpec = z.infer<typeof LoadBalancerSpecSchema>;

export const HCloudNetworkSpecSchema = z
  .object({
    enabled: z.boolean().describe('Whether the cluster has a private network.'),
    cidrBlock: z.string().default('10.0.0.0/16').describe('IP range of the network.'),
    subnetCidrBlock: z.string().default('10.0.0.0/24').describe('IP range of the servers’ subnet.'),
    networkZone: z
      .enum(['eu-central', 'us-east', 'us-west', 'ap-southeast'])
      .default('eu-central')
      .describe('Network zone of the private network.'),
  })
  .describe(
    'The Hetzner Cloud private network of the cluster: created with one subnet, servers and the load balancer join it (IPv4 stays on without it).',
  );
export type HCloudNetworkSpec = z.infer<typeof HCloudNetworkSpecSchema>;

export const HCloudPlacementGroupSpecSchema = z.object({
  name: z.string().min(1).describe('Name of the placement group.'),
  type: z.enum(['spread']).default('spread').describe('Placement group type.'),
});
export type HCloudPlacementGroupSpec = z.infer<typeof HCloudPlacementGroupSpecSchema>;

export const HetznerSecretKeyRefSchema = z
  .object({
    hcloudToken: z.string().describe('Key of the Secret data holding the Hetzner Cloud API token.'),
    hetznerRobotUser: z
      .string()
      .default('hetzner-robot-user')
      .describe('Key of the Secret data holding the Robot API user.'),
    hetznerRobotPassword: z
      .string()
      .default('hetzner-robot-password')
      .describe('Key of the Secret data holding the Robot API password.'),
    sshKey: z
      .string()
      .default('hcloud-ssh-key-name')
      .describe('Key of the Secret data holding the name of one more Hetzner Cloud SSH key.'),
  })
  .describe('Keys of the Secret data; the token, or both Robot credentials, must be given.');
export type HetznerSecretKeyRef = z.infer<typeof HetznerSecretKeyRefSchema>;

export const HetznerSecretRefSchema = z
  .object({
    name: requiredInCrd(
      z.string().default('hetzner').describe('Name of the Secret in the namespace of the cluster.'),
    ),
    key: HetznerSecretKeyRefSchema,
  })
  .describe('The Secret with the Hetzner API credentials.');
export type HetznerSecretRef = z.infer<typeof HetznerSecretRefSchema>;

export const HetznerSSHKeysSchema = z
  .object({
    hcloud: z
      .array(SSHKeySchema)
      .optional()
      .describe('Hetzner Cloud SSH keys of every machine that does not name its own.'),
    robotRescueSecretRef: SSHSecretRefSchema.optional().describe(
      'The Secret with the SSH key of the rescue systems (bare metal, and the image-url flow on hcloud).',
    ),
  })
  .describe('Cluster-wide SSH keys.');
export type HetznerSSHKeys = z.infer<typeof HetznerSSHKeysSchema>;

export const HetznerClusterSpecSchema = z
  .object({
    hcloudNetwork: HCloudNetworkSpecSchema.optional(),
    controlPlaneRegions: z
      .array(RegionSchema)
      .describe(
        'Locations of the control plane, used as failure domains (status.failureDomains) and as the default server location.',
      ),
    sshKeys: HetznerSSHKeysSchema,
    controlPlaneEndpoint: APIEndpointSchema.optional().describe(
      'Where the control plane is reached; empty parts are set from the load balancer, and without one it must be set (ControlPlaneEndpointSet reports it).',
    ),
    controlPlaneLoadBalancer: LoadBalancerSpecSchema.optional(),
    hcloudPlacementGroups: z
      .array(HCloudPlacementGroupSpecSchema)
      .optional()
      .describe('Spread placement groups of the cluster, named `<cluster>-<name>` in the project.'),
    hetznerSecretRef: HetznerSecretRefSchema,
    ociRegistryAuth: OCIRegistryAuthSchema.optional(),
    skipCreatingHetznerSecretInWorkloadCluster: z
      .boolean()
      .optional()
      .describe(notActedOn('Do not copy the Hetzner Secret into the workload cluster.')),
  })
  .describe(
    'The desired state of the HetznerCluster: credentials, SSH keys, and the cluster infrastructure ' +
      '(network, load balancer, placement groups) imageurl creates and owns.',
  );
export type HetznerClusterSpec = z.infer<typeof HetznerClusterSpecSchema>;
export type HetznerClusterSpecInput = z.input<typeof HetznerClusterSpecSchema>;
