import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { substitute } from '../../sim/cluster-api/clusterctl-variables.js';
import { secretKind, type KindRef, type KubeClient, type KubeObject } from '../kube/index.js';
import { DEMO_CLUSTER, DEMO_NAMESPACE, secret } from './demo-objects.js';

/** The shipped template the demo applies, as `clusterctl generate cluster --flavor hcloud-image-url` would. */
export const CAPI_TEMPLATE = join('templates', 'cluster-template-hcloud-image-url.yaml');
/** The Kubernetes version the workload cluster's nodes report (the binaries the project builds). */
export const DEMO_KUBERNETES_VERSION = 'v1.34.4';

const PLURALS: Readonly<Record<string, string>> = {
  Cluster: 'clusters',
  HetznerCluster: 'hetznerclusters',
  KubeadmControlPlane: 'kubeadmcontrolplanes',
  HCloudMachineTemplate: 'hcloudmachinetemplates',
  MachineHealthCheck: 'machinehealthchecks',
  HCloudRemediationTemplate: 'hcloudremediationtemplates',
  MachineDeployment: 'machinedeployments',
  KubeadmConfigTemplate: 'kubeadmconfigtemplates',
};

function kindOf(object: KubeObject): KindRef {
  const [group = '', version = ''] = (object.apiVersion ?? '').split('/');
  const kind = object.kind ?? '';
  const plural = PLURALS[kind];
  if (plural === undefined) throw new Error(`${CAPI_TEMPLATE}: kind ${kind} is not one the demo knows`);
  return { group, version, kind, plural, namespaced: true };
}

export interface CapiClusterInput {
  readonly root: string;
  readonly workers: number;
  readonly imageURL: string;
  readonly imageURLCommand: string;
  readonly hcloudToken: string;
  readonly rescueKey: { readonly name: string; readonly publicKey: string; readonly privateKey: string };
}

/** The template's objects with the demo's values, in the template's order. */
export async function renderCapiCluster(input: CapiClusterInput): Promise<KubeObject[]> {
  const text = substitute(await readFile(join(input.root, CAPI_TEMPLATE), 'utf8'), {
    CLUSTER_NAME: DEMO_CLUSTER,
    KUBERNETES_VERSION: DEMO_KUBERNETES_VERSION,
    HCLOUD_SSH_KEY: input.rescueKey.name,
    HETZNER_SECRET_NAME: 'demo-hetzner',
    HETZNER_SSH_SECRET_NAME: 'demo-rescue-ssh',
    IMAGEURL_NODE_IMAGE_URL: input.imageURL,
    IMAGEURL_COMMAND: input.imageURLCommand,
    WORKER_MACHINE_COUNT: String(input.workers),
    // The template's default types are not in the simulator's catalogue.
    HCLOUD_CONTROL_PLANE_MACHINE_TYPE: 'cpx22',
    HCLOUD_WORKER_MACHINE_TYPE: 'cpx22',
  });
  return parseAllDocuments(text).flatMap((doc) => {
    const object = doc.toJS() as KubeObject | null;
    if (object === null) return [];
    return [{ ...object, metadata: { ...object.metadata, namespace: DEMO_NAMESPACE } }];
  });
}

/** The template's two Secrets and every object of the template, created in the demo's namespace. */
export async function applyCapiCluster(client: KubeClient, input: CapiClusterInput): Promise<void> {
  await client.create(secretKind, secret('demo-hetzner', { hcloud: input.hcloudToken }));
  await client.create(
    secretKind,
    secret('demo-rescue-ssh', {
      'sshkey-name': input.rescueKey.name,
      'ssh-publickey': input.rescueKey.publicKey,
      'ssh-privatekey': input.rescueKey.privateKey,
    }),
  );
  for (const object of await renderCapiCluster(input)) await client.create(kindOf(object), object);
}
