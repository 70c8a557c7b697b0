// A workload cluster as users declare it: the shipped clusterctl template
// (templates/cluster-template-hcloud-image-url.yaml) rendered with clusterctl's variable rules,
// plus the two Secrets it names, created in a namespace of its own. And what tests read back.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { KubernetesObjectApi, loadYaml, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { secretKind, type KindRef, type KubeObject } from '../../src/kube/index.js';
import { hcloudMachines, hetznerClusters } from '../../src/reconcilers/shared/kinds.js';
import { CAPI_COMMAND, type CapiEnv } from './capi-controllers.js';
import { substitute } from './clusterctl-variables.js';
import { createNamespace } from './kube-objects.js';

const TEMPLATE = fileURLToPath(
  new URL('../../templates/cluster-template-hcloud-image-url.yaml', import.meta.url),
);
export const NODE_IMAGE_URL = 'oci://registry.example.com/images/node:v1';
export const KUBERNETES_VERSION = 'v1.34.4';
/**
 * MachineSets wait while the control plane is provisioning (Cluster API's ControlPlaneIsStable
 * preflight check), which lasts until its first Node registers: that needs a workload cluster.
 */
export const SKIP_CONTROL_PLANE_STABLE = {
  'machineset.cluster.x-k8s.io/skip-preflight-checks': 'ControlPlaneIsStable',
};

const capi = (group: string, kind: string, plural: string): KindRef => ({
  group,
  version: 'v1beta2',
  kind,
  plural,
  namespaced: true,
});
export const kinds = {
  cluster: capi('cluster.x-k8s.io', 'Cluster', 'clusters'),
  machine: capi('cluster.x-k8s.io', 'Machine', 'machines'),
  machineDeployment: capi('cluster.x-k8s.io', 'MachineDeployment', 'machinedeployments'),
  machineSet: capi('cluster.x-k8s.io', 'MachineSet', 'machinesets'),
  kubeadmControlPlane: capi('controlplane.cluster.x-k8s.io', 'KubeadmControlPlane', 'kubeadmcontrolplanes'),
  kubeadmConfig: capi('bootstrap.cluster.x-k8s.io', 'KubeadmConfig', 'kubeadmconfigs'),
  hcloudMachine: hcloudMachines,
  hetznerCluster: hetznerClusters,
  secret: secretKind,
} as const;

export interface CapiClusterOptions {
  readonly namespace: string;
  readonly name: string;
  readonly workers: number;
  /** Annotations for the MachineDeployment (e.g. SKIP_CONTROL_PLANE_STABLE). */
  readonly machineDeploymentAnnotations?: Readonly<Record<string, string>>;
  /** The image-url-command (default CAPI_COMMAND). */
  readonly command?: string;
  /** Changes to the rendered objects before they are created; returns undefined to leave one out. */
  readonly edit?: (object: Record<string, unknown>) => Record<string, unknown> | undefined;
}

function secret(namespace: string, name: string, data: Record<string, string>): KubeObject {
  const encoded = Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  );
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, data: encoded } as KubeObject;
}

/** The template's objects with this cluster's values, in the template's order. */
export async function renderedCluster(env: CapiEnv, o: CapiClusterOptions): Promise<KubernetesObject[]> {
  const text = substitute(await readFile(TEMPLATE, 'utf8'), {
    CLUSTER_NAME: o.name,
    KUBERNETES_VERSION,
    HCLOUD_SSH_KEY: env.rescueKey.name,
    IMAGEURL_NODE_IMAGE_URL: NODE_IMAGE_URL,
    IMAGEURL_COMMAND: o.command ?? CAPI_COMMAND,
    WORKER_MACHINE_COUNT: String(o.workers),
    // The template's default types are not in the simulator's catalogue.
    HCLOUD_CONTROL_PLANE_MACHINE_TYPE: 'cpx22',
    HCLOUD_WORKER_MACHINE_TYPE: 'cpx22',
  });
  return parseAllDocuments(text).flatMap((doc) => {
    const object = doc.toJS() as { kind?: string; metadata?: Record<string, unknown> };
    const metadata = object.metadata ?? {};
    const annotations = (metadata['annotations'] ?? {}) as Record<string, string>;
    const extra = object.kind === 'MachineDeployment' ? (o.machineDeploymentAnnotations ?? {}) : {};
    const placed = {
      ...object,
      metadata: { ...metadata, namespace: o.namespace, annotations: { ...annotations, ...extra } },
    };
    const edited = o.edit ? o.edit(placed) : placed;
    // Through client-node's loader, so the request bodies are its models.
    return edited ? [loadYaml<KubernetesObject>(JSON.stringify(edited))] : [];
  });
}

/**
 * The namespace, the Secrets `hetzner` (with the Robot simulator's credentials when there is one)
 * and `hetzner-ssh`, and every object of the template.
 */
export async function createCapiCluster(env: CapiEnv, o: CapiClusterOptions): Promise<void> {
  await createNamespace(env.controlPlane.kubeConfig(), o.namespace);
  const robot = env.robot ? { 'robot-user': env.robot.user, 'robot-password': env.robot.password } : {};
  await env.api.client.create(
    secretKind,
    secret(o.namespace, 'hetzner', { hcloud: env.cloud.sim.token, ...robot }),
  );
  const key = env.rescueKey;
  await env.api.client.create(
    secretKind,
    secret(o.namespace, 'hetzner-ssh', {
      'sshkey-name': key.name,
      'ssh-publickey': key.publicKey,
      'ssh-privatekey': key.privateKey,
    }),
  );
  const objects = KubernetesObjectApi.makeApiClient(env.controlPlane.kubeConfig());
  for (const object of await renderedCluster(env, o)) await objects.create(object);
}

/** The objects of `kind` in the namespace, optionally with a label. */
export async function listIn<T extends KubeObject>(
  env: CapiEnv,
  kind: KindRef,
  namespace: string,
  labelSelector?: string,
): Promise<T[]> {
  const options = labelSelector === undefined ? { namespace } : { namespace, labelSelector };
  return (await env.api.client.list<T>(kind, options)).items;
}

/** The servers, load balancers and placement groups in the Cloud simulator. */
export async function cloudResources(
  env: CapiEnv,
): Promise<Record<'servers' | 'load_balancers' | 'placement_groups', unknown[]>> {
  const read = async (path: 'servers' | 'load_balancers' | 'placement_groups'): Promise<unknown[]> => {
    const answer = await env.cloud.api.call('GET', `/${path}?per_page=50`);
    return (answer.body as Record<string, unknown[] | undefined>)[path] ?? [];
  };
  return {
    servers: await read('servers'),
    load_balancers: await read('load_balancers'),
    placement_groups: await read('placement_groups'),
  };
}
