// A cluster as CAPH's default hcloud template makes it (HetznerCluster with the control-plane
// load balancer on and two spread placement groups), for the cluster infrastructure tests.
import { CAPI_API_VERSION } from '../../api/cluster-api.js';
import { GROUP } from '../../api/v1beta1/index.js';
import { clusterKind, secretKind, type KubeClient, type KubeObject } from '../../src/kube/index.js';
import { hetznerClusters } from './provisioning-objects.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

/** CAPH's hcloud flavour, variables filled: region fsn1, SSH key `ssh-key`, Secret `hetzner`. */
export function caphHetznerClusterSpec(
  extra: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> {
  return {
    controlPlaneEndpoint: { host: '', port: 443 },
    controlPlaneLoadBalancer: { region: 'fsn1' },
    controlPlaneRegions: ['fsn1'],
    hcloudNetwork: { enabled: false },
    hcloudPlacementGroups: [
      { name: 'control-plane', type: 'spread' },
      { name: 'md-0', type: 'spread' },
    ],
    hetznerSecretRef: { key: { hcloudToken: 'hcloud' }, name: 'hetzner' },
    sshKeys: { hcloud: [{ name: 'ssh-key' }] },
    ...extra,
  };
}

/** Secrets (token, bootstrap data), the HetznerCluster `my-cluster` and its Cluster. */
export async function createClusterObjects(
  client: KubeClient,
  namespace: string,
  token: string,
  spec: Record<string, unknown>,
): Promise<void> {
  const secret = (name: string, data: Record<string, string>): KubeObject =>
    ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace },
      data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, b64(value)])),
    }) as KubeObject;
  await client.create(secretKind, secret('hetzner', { hcloud: token }));
  await client.create(secretKind, secret('bootstrap', { value: '#cloud-config\n' }));
  await client.create(hetznerClusters, {
    apiVersion: `${GROUP}/v1beta1`,
    kind: 'HetznerCluster',
    metadata: { name: 'my-cluster', namespace, labels: { 'cluster.x-k8s.io/cluster-name': 'my-cluster' } },
    spec,
  } as KubeObject);
  await client.create(clusterKind, {
    apiVersion: CAPI_API_VERSION,
    kind: 'Cluster',
    metadata: { name: 'my-cluster', namespace },
    spec: { infrastructureRef: { apiGroup: GROUP, kind: 'HetznerCluster', name: 'my-cluster' } },
  } as KubeObject);
}
