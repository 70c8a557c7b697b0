// The Kubernetes objects of one bare-metal provisioning: HetznerCluster + Cluster, the Secrets
// (Robot credentials, rescue key, OS key, bootstrap data), a HetznerBareMetalHost for a Robot
// server, and a Machine + HetznerBareMetalMachine with installImage.imageURLCommand.
import { CAPI_API_VERSION } from '../../api/cluster-api.js';
import { API_VERSION, GROUP } from '../../api/v1beta1/index.js';
import {
  clusterKind,
  machineKind,
  secretKind,
  type KubeClient,
  type KubeObject,
  CLUSTER_NAME_LABEL,
} from '../../src/kube/index.js';
import type { SshKeyPair } from '../../sim/host/ssh-keys.js';
import { bareMetalHostsKind, bareMetalMachinesKind } from './bare-metal-objects.js';
import { hetznerClusters } from './provisioning-objects.js';

const KEY_REF = { name: 'sshkey-name', publicKey: 'ssh-publickey', privateKey: 'ssh-privatekey' };

const b64 = (text: string): string => Buffer.from(text).toString('base64');

function secret(namespace: string, name: string, data: Record<string, string>): KubeObject {
  const encoded = Object.fromEntries(Object.entries(data).map(([key, value]) => [key, b64(value)]));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, data: encoded } as KubeObject;
}

export interface ClusterObjectsInput {
  readonly namespace: string;
  readonly cluster: string;
  readonly robot: { readonly user: string; readonly password: string };
  readonly rescueKey: SshKeyPair;
  readonly osKey: SshKeyPair;
}

/** HetznerCluster (Robot credentials, rescue key), Cluster, and the OS key Secret of sshSpec. */
export async function createBareMetalClusterObjects(
  client: KubeClient,
  input: ClusterObjectsInput,
): Promise<void> {
  const { namespace, cluster } = input;
  const labels = { [CLUSTER_NAME_LABEL]: cluster };
  await client.create(
    secretKind,
    secret(namespace, 'hetzner', { 'robot-user': input.robot.user, 'robot-password': input.robot.password }),
  );
  const keyData = (key: SshKeyPair, name: string): Record<string, string> => ({
    'sshkey-name': name,
    'ssh-publickey': key.publicKey,
    'ssh-privatekey': key.privateKey,
  });
  await client.create(secretKind, secret(namespace, 'robot-rescue', keyData(input.rescueKey, 'rescue-key')));
  await client.create(secretKind, secret(namespace, 'os-ssh', keyData(input.osKey, 'os-key')));
  await client.create(hetznerClusters, {
    apiVersion: API_VERSION,
    kind: 'HetznerCluster',
    metadata: { name: cluster, namespace, labels },
    spec: {
      controlPlaneRegions: ['fsn1'],
      sshKeys: { robotRescueSecretRef: { name: 'robot-rescue', key: KEY_REF } },
      hetznerSecretRef: {
        name: 'hetzner',
        key: {
          hcloudToken: 'hcloud',
          hetznerRobotUser: 'robot-user',
          hetznerRobotPassword: 'robot-password',
        },
      },
    },
  } as KubeObject);
  await client.create(clusterKind, {
    apiVersion: CAPI_API_VERSION,
    kind: 'Cluster',
    metadata: { name: cluster, namespace },
    spec: { infrastructureRef: { apiGroup: GROUP, kind: 'HetznerCluster', name: cluster } },
  } as KubeObject);
}

export interface HostInput {
  readonly namespace: string;
  readonly name: string;
  readonly serverID: number;
  readonly rootDeviceHints: { wwn?: string; raid?: { wwn: string[] } };
  readonly labels?: Record<string, string>;
}

export async function createBareMetalHost(client: KubeClient, input: HostInput): Promise<void> {
  await client.create(bareMetalHostsKind, {
    apiVersion: API_VERSION,
    kind: 'HetznerBareMetalHost',
    metadata: { name: input.name, namespace: input.namespace, labels: input.labels ?? {} },
    spec: { serverID: input.serverID, rootDeviceHints: input.rootDeviceHints, maintenanceMode: false },
  } as KubeObject);
}

export interface MachineInput {
  readonly namespace: string;
  readonly cluster: string;
  readonly name: string;
  readonly imageUrl: string;
  readonly command: string;
  readonly swraid?: 0 | 1;
  readonly deviceStringType?: 'wwn' | 'short';
  readonly hostSelector?: { matchLabels: Record<string, string> };
}

/** Bootstrap Secret (hostname = CAPH's host name `bm-<machine>`), Machine, HetznerBareMetalMachine. */
export async function createMachine(client: KubeClient, input: MachineInput): Promise<void> {
  const { namespace, name } = input;
  const labels = { [CLUSTER_NAME_LABEL]: input.cluster };
  const dataSecretName = `bootstrap-${name}`;
  await client.create(
    secretKind,
    secret(namespace, dataSecretName, { value: `#cloud-config\nhostname: bm-${name}\n` }),
  );
  const machine = await client.create(machineKind, {
    apiVersion: CAPI_API_VERSION,
    kind: 'Machine',
    metadata: { name, namespace, labels },
    spec: {
      clusterName: input.cluster,
      bootstrap: { dataSecretName },
      infrastructureRef: { apiGroup: GROUP, kind: 'HetznerBareMetalMachine', name },
    },
  } as KubeObject);
  const owner = {
    apiVersion: CAPI_API_VERSION,
    kind: 'Machine',
    name,
    uid: machine.metadata.uid ?? '',
    controller: true,
  };
  await client.create(bareMetalMachinesKind, {
    apiVersion: API_VERSION,
    kind: 'HetznerBareMetalMachine',
    metadata: { name, namespace, labels, ownerReferences: [owner] },
    spec: {
      installImage: {
        imageURLCommand: input.command,
        image: { url: input.imageUrl },
        partitions: [],
        swraid: input.swraid ?? 0,
        ...(input.deviceStringType ? { deviceStringType: input.deviceStringType } : {}),
      },
      sshSpec: { secretRef: { name: 'os-ssh', key: KEY_REF }, portAfterInstallImage: 22 },
      ...(input.hostSelector ? { hostSelector: input.hostSelector } : {}),
    },
  } as KubeObject);
}
