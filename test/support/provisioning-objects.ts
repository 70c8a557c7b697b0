// The Kubernetes objects one image-url HCloudMachine needs: Secrets, a Cluster API Cluster and
// Machine, a HetznerCluster and the HCloudMachine (owned by the Machine), in one namespace.
import { CAPI_API_VERSION } from '../../api/cluster-api.js';
import { examples, GROUP } from '../../api/v1beta1/index.js';
import {
  clusterKind,
  machineKind,
  secretKind,
  type KubeClient,
  type KubeObject,
  CLUSTER_NAME_LABEL,
} from '../../src/kube/index.js';
import { hcloudMachines, hetznerClusters } from '../../src/reconcilers/shared/kinds.js';

export { hetznerClusters };
export const hcloudMachinesKind = hcloudMachines;

export interface ProvisioningObjects {
  readonly namespace: string;
  readonly hcloudToken: string;
  readonly rescueKey: { readonly name: string; readonly publicKey: string; readonly privateKey: string };
  readonly machineName: string;
  readonly imageURL: string;
  readonly imageURLCommand: string;
  readonly bootstrapData: string;
  /** Fields merged into the HetznerCluster's spec. */
  readonly hetznerClusterSpec?: Readonly<Record<string, unknown>>;
  /** `spec.providerID` the HCloudMachine is created with (as `clusterctl move` creates them). */
  readonly providerID?: string;
  /** `spec.type`; cpx22 unless given. */
  readonly serverType?: string;
}

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function secret(namespace: string, name: string, data: Record<string, string>): KubeObject {
  const encoded = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, b64(value)]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, data: encoded } as KubeObject;
}

/** Creates everything; returns the Machine's uid. */
export async function createProvisioningObjects(client: KubeClient, o: ProvisioningObjects): Promise<void> {
  const ns = o.namespace;
  await client.create(secretKind, secret(ns, 'hcloud', { hcloud: o.hcloudToken }));
  await client.create(
    secretKind,
    secret(ns, 'robot-ssh', {
      'sshkey-name': o.rescueKey.name,
      'ssh-publickey': o.rescueKey.publicKey,
      'ssh-privatekey': o.rescueKey.privateKey,
    }),
  );
  await client.create(secretKind, secret(ns, 'bootstrap', { value: o.bootstrapData }));
  const hetznerCluster = structuredClone(examples.hetznerCluster) as unknown as KubeObject & {
    spec: { sshKeys: { hcloud: { name: string }[] } };
  };
  hetznerCluster.metadata = { name: 'my-cluster', namespace: ns };
  hetznerCluster.spec.sshKeys.hcloud = [{ name: o.rescueKey.name }];
  Object.assign(hetznerCluster.spec, o.hetznerClusterSpec ?? {});
  await client.create(hetznerClusters, hetznerCluster);
  await client.create(clusterKind, {
    apiVersion: CAPI_API_VERSION,
    kind: 'Cluster',
    metadata: { name: 'my-cluster', namespace: ns },
    spec: { infrastructureRef: { apiGroup: GROUP, kind: 'HetznerCluster', name: 'my-cluster' } },
  } as KubeObject);
  await createMachineObjects(client, ns, o.machineName, {
    type: o.serverType ?? 'cpx22',
    imageURL: o.imageURL,
    imageURLCommand: o.imageURLCommand,
    ...(o.providerID === undefined ? {} : { providerID: o.providerID }),
  });
}

/**
 * One more machine of the cluster createProvisioningObjects made: a Cluster API Machine (with the
 * same bootstrap Secret) and its HCloudMachine with this spec.
 */
export async function createMachineObjects(
  client: KubeClient,
  ns: string,
  name: string,
  spec: Readonly<Record<string, unknown>>,
): Promise<void> {
  await createLabelledMachineObjects(client, { ns, name, labels: {} }, spec);
}

/** createMachineObjects with more labels on both objects (e.g. Cluster API's control-plane label). */
export async function createLabelledMachineObjects(
  client: KubeClient,
  target: { readonly ns: string; readonly name: string; readonly labels: Readonly<Record<string, string>> },
  spec: Readonly<Record<string, unknown>>,
): Promise<void> {
  const { ns, name } = target;
  const clusterLabel = { [CLUSTER_NAME_LABEL]: 'my-cluster', ...target.labels };
  const machine = await client.create(machineKind, {
    apiVersion: CAPI_API_VERSION,
    kind: 'Machine',
    metadata: { name, namespace: ns, labels: clusterLabel },
    spec: {
      clusterName: 'my-cluster',
      bootstrap: { dataSecretName: 'bootstrap' },
      infrastructureRef: { apiGroup: GROUP, kind: 'HCloudMachine', name },
    },
  } as KubeObject);
  await client.create(hcloudMachinesKind, {
    apiVersion: `${GROUP}/v1beta1`,
    kind: 'HCloudMachine',
    metadata: {
      name,
      namespace: ns,
      labels: clusterLabel,
      ownerReferences: [
        {
          apiVersion: CAPI_API_VERSION,
          kind: 'Machine',
          name,
          uid: machine.metadata.uid ?? '',
          controller: true,
        },
      ],
    },
    spec,
  } as KubeObject);
}
