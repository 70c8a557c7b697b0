import { CAPI_API_VERSION } from '../../api/cluster-api.js';
import { API_VERSION, GROUP } from '../../api/v1beta1/index.js';
import {
  clusterKind,
  machineKind,
  secretKind,
  type KindRef,
  type KubeClient,
  type KubeObject,
} from '../kube/index.js';
import { hcloudMachines, hetznerClusters } from '../reconcilers/shared/kinds.js';

export const DEMO_NAMESPACE = 'imageurl-demo';
export const DEMO_CLUSTER = 'demo';

export interface DemoClusterInput {
  readonly hcloudToken: string;
  readonly rescueKey: { readonly name: string; readonly publicKey: string; readonly privateKey: string };
  /** Robot webservice credentials, for dedicated servers (kept in Secret demo-hetzner). */
  readonly robot?: { readonly user: string; readonly password: string };
}

export interface DemoObjectsInput extends DemoClusterInput {
  readonly machines: readonly string[];
  readonly imageURL: string;
  readonly imageURLCommand: string;
}

const namespaceKind: KindRef = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  kind: 'Namespace',
  namespaced: false,
};

export function secret(name: string, data: Record<string, string>): KubeObject {
  const encoded = Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  );
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: DEMO_NAMESPACE },
    data: encoded,
  } as KubeObject;
}

export function meta(name: string, labels: Record<string, string> = {}): KubeObject['metadata'] {
  return {
    name,
    namespace: DEMO_NAMESPACE,
    labels: { 'cluster.x-k8s.io/cluster-name': DEMO_CLUSTER, ...labels },
  };
}

function hetznerCluster(rescueKeyName: string, robot: boolean): KubeObject {
  const robotKeys = robot ? { hetznerRobotUser: 'robot-user', hetznerRobotPassword: 'robot-password' } : {};
  return {
    apiVersion: API_VERSION,
    kind: hetznerClusters.kind,
    metadata: meta(DEMO_CLUSTER),
    spec: {
      hcloudNetwork: { enabled: false },
      controlPlaneRegions: ['fsn1'],
      controlPlaneLoadBalancer: { enabled: false },
      // Without a load balancer the endpoint is the user's (the webhook insists, as CAPH's does).
      controlPlaneEndpoint: { host: 'api.demo.example', port: 6443 },
      sshKeys: {
        hcloud: [{ name: rescueKeyName }],
        robotRescueSecretRef: {
          name: 'demo-rescue-ssh',
          key: { name: 'sshkey-name', publicKey: 'ssh-publickey', privateKey: 'ssh-privatekey' },
        },
      },
      hetznerSecretRef: { name: 'demo-hetzner', key: { hcloudToken: 'hcloud', ...robotKeys } },
    },
  } as KubeObject;
}

export async function createDemoNamespace(client: KubeClient): Promise<void> {
  await client.create(namespaceKind, {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: DEMO_NAMESPACE },
  });
}

/**
 * What a user (and Cluster API's own controllers, which the demo does not run) would create for
 * a small cluster of image-url machines: Secrets, HetznerCluster, Cluster, and per machine a
 * bootstrap Secret, a Machine and its HCloudMachine (owned by the Machine, as CAPI sets it).
 */
export async function applyDemoObjects(client: KubeClient, input: DemoObjectsInput): Promise<void> {
  await applyDemoCluster(client, input);
  await Promise.all(input.machines.map((name) => applyMachine(client, input, name)));
}

/** The credentials and rescue key Secrets, the HetznerCluster and the Cluster naming it. */
export async function applyDemoCluster(client: KubeClient, input: DemoClusterInput): Promise<void> {
  const robot = input.robot ? { 'robot-user': input.robot.user, 'robot-password': input.robot.password } : {};
  await client.create(secretKind, secret('demo-hetzner', { hcloud: input.hcloudToken, ...robot }));
  await client.create(
    secretKind,
    secret('demo-rescue-ssh', {
      'sshkey-name': input.rescueKey.name,
      'ssh-publickey': input.rescueKey.publicKey,
      'ssh-privatekey': input.rescueKey.privateKey,
    }),
  );
  await client.create(hetznerClusters, hetznerCluster(input.rescueKey.name, input.robot !== undefined));
  await client.create(clusterKind, {
    apiVersion: CAPI_API_VERSION,
    kind: clusterKind.kind,
    metadata: meta(DEMO_CLUSTER),
    spec: { infrastructureRef: { apiGroup: GROUP, kind: hetznerClusters.kind, name: DEMO_CLUSTER } },
  } as KubeObject);
}

/**
 * A bootstrap Secret naming `hostname` and a Machine whose infrastructure is the `kind` of the
 * same name; returns the owner reference its infrastructure object carries (as CAPI sets it).
 */
export async function applyCapiMachine(
  client: KubeClient,
  machine: { readonly name: string; readonly kind: string; readonly hostname: string },
): Promise<NonNullable<KubeObject['metadata']['ownerReferences']>[number]> {
  const { name } = machine;
  const bootstrap = `#cloud-config\nhostname: ${machine.hostname}\n`;
  await client.create(secretKind, secret(`${name}-bootstrap`, { value: bootstrap }));
  const created = await client.create(machineKind, {
    apiVersion: CAPI_API_VERSION,
    kind: machineKind.kind,
    metadata: meta(name),
    spec: {
      clusterName: DEMO_CLUSTER,
      bootstrap: { dataSecretName: `${name}-bootstrap` },
      infrastructureRef: { apiGroup: GROUP, kind: machine.kind, name },
    },
  } as KubeObject);
  return {
    apiVersion: CAPI_API_VERSION,
    kind: machineKind.kind,
    name,
    uid: created.metadata.uid ?? '',
    controller: true,
  };
}

async function applyMachine(client: KubeClient, input: DemoObjectsInput, name: string): Promise<void> {
  const owner = await applyCapiMachine(client, { name, kind: hcloudMachines.kind, hostname: name });
  await client.create(hcloudMachines, {
    apiVersion: API_VERSION,
    kind: hcloudMachines.kind,
    metadata: { ...meta(name), ownerReferences: [owner] },
    spec: { type: 'cpx22', imageURL: input.imageURL, imageURLCommand: input.imageURLCommand },
  } as KubeObject);
}
