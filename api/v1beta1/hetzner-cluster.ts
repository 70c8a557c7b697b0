import { z } from 'zod';
import { ConditionsSchema, objectHeader, observedGeneration, V1Beta2StatusSchema } from './common.js';
import { int64, requiredInCrd, stringMap } from './fields.js';
import { HetznerClusterSpecSchema } from './hetzner-cluster-spec.js';
import { readyConditionColumns, type KindDefinition } from './kind.js';

export * from './hetzner-cluster-spec.js';

export const NetworkStatusSchema = z
  .object({
    id: int64().optional().describe('ID of the Hetzner Cloud network.'),
    attachedServers: z.array(int64()).optional().describe('IDs of the servers attached to it.'),
  })
  .describe('The private network, as created.');
export type NetworkStatus = z.infer<typeof NetworkStatusSchema>;

export const LoadBalancerTargetSchema = z.object({
  type: z.enum(['server', 'ip']).describe('Kind of target.'),
  serverID: int64().optional().describe('Hetzner Cloud server ID (type server).'),
  ip: z.string().optional().describe('IP address (type ip).'),
});
export type LoadBalancerTarget = z.infer<typeof LoadBalancerTargetSchema>;

export const LoadBalancerStatusSchema = z
  .object({
    id: int64().optional(),
    ipv4: z.string().optional(),
    ipv6: z.string().optional(),
    internalIP: z.string().optional(),
    targets: z.array(LoadBalancerTargetSchema).optional(),
    protected: z.boolean().optional(),
    proxyProtocolEnabled: z
      .boolean()
      .optional()
      .describe('Whether the Kubernetes API service uses the PROXY protocol right now.'),
  })
  .describe('The control-plane load balancer, as created.');
export type LoadBalancerStatus = z.infer<typeof LoadBalancerStatusSchema>;

export const HCloudPlacementGroupStatusSchema = z.object({
  id: int64().optional(),
  servers: z.array(int64()).optional(),
  name: z.string().optional(),
  type: z.string().optional(),
});
export type HCloudPlacementGroupStatus = z.infer<typeof HCloudPlacementGroupStatusSchema>;

export const FailureDomainSpecSchema = z.object({
  controlPlane: z.boolean().optional().describe('Whether control-plane machines may use it.'),
  attributes: stringMap().optional().describe('Free-form attributes of the failure domain.'),
});
export type FailureDomainSpec = z.infer<typeof FailureDomainSpecSchema>;

export const HetznerClusterStatusSchema = z
  .object({
    ready: requiredInCrd(z.boolean().default(false).describe('Whether the cluster infrastructure is ready.')),
    networkStatus: NetworkStatusSchema.optional(),
    controlPlaneLoadBalancer: LoadBalancerStatusSchema.optional(),
    hcloudPlacementGroups: z.array(HCloudPlacementGroupStatusSchema).optional(),
    failureDomains: z
      .record(z.string(), FailureDomainSpecSchema)
      .optional()
      .describe('Failure domains (locations) machines are spread over.'),
    conditions: ConditionsSchema.optional(),
    v1beta2: V1Beta2StatusSchema.optional(),
    observedGeneration: observedGeneration(),
  })
  .describe(
    'The observed state of the HetznerCluster: ready once the credentials and SSH keys are checked and its network, placement groups and load balancer exist; conditions, failure domains.',
  );
export type HetznerClusterStatus = z.infer<typeof HetznerClusterStatusSchema>;

export const HetznerClusterSchema = z.object({
  ...objectHeader('HetznerCluster'),
  spec: HetznerClusterSpecSchema,
  status: HetznerClusterStatusSchema.optional(),
});
export type HetznerCluster = z.infer<typeof HetznerClusterSchema>;
export type HetznerClusterInput = z.input<typeof HetznerClusterSchema>;

export const hetznerClusterKind: KindDefinition = {
  kind: 'HetznerCluster',
  listKind: 'HetznerClusterList',
  plural: 'hetznerclusters',
  singular: 'hetznercluster',
  shortNames: ['hccl'],
  categories: ['cluster-api'],
  scope: 'Namespaced',
  statusSubresource: true,
  description: 'HetznerCluster is the Hetzner infrastructure of a Cluster API cluster.',
  printerColumns: [
    {
      name: 'Cluster',
      type: 'string',
      jsonPath: '.metadata.labels.cluster\\.x-k8s\\.io/cluster-name',
      description: 'Cluster to which this HetznerCluster belongs',
    },
    {
      name: 'Ready',
      type: 'string',
      jsonPath: '.status.ready',
      description: 'Cluster infrastructure is ready for Nodes',
    },
    {
      name: 'Endpoint',
      type: 'string',
      jsonPath: '.spec.controlPlaneEndpoint',
      description: 'API Endpoint',
      priority: 1,
    },
    {
      name: 'Regions',
      type: 'string',
      jsonPath: '.spec.controlPlaneRegions',
      description: 'Control plane regions',
    },
    {
      name: 'Network enabled',
      type: 'boolean',
      jsonPath: '.spec.hcloudNetwork.enabled',
      description: 'Indicates if private network is enabled.',
    },
    ...readyConditionColumns('.status.conditions'),
  ],
  spec: HetznerClusterSpecSchema,
  status: HetznerClusterStatusSchema,
  object: HetznerClusterSchema,
};
