// The Kubernetes objects of a bare-metal cluster for the HetznerBareMetalMachine reconciler:
// a HetznerCluster, a Cluster API Cluster, per machine a Machine (owner) + bootstrap Secret +
// HetznerBareMetalMachine, and HetznerBareMetalHosts, all in one namespace.
import { CAPI_API_VERSION, CAPI_BOOTSTRAP_GROUP } from '../../api/cluster-api.js';
import { examples, GROUP, type HostSelector } from '../../api/v1beta1/index.js';
import {
  clusterKind,
  machineKind,
  secretKind,
  type KubeClient,
  type KubeObject,
  CLUSTER_NAME_LABEL,
} from '../../src/kube/index.js';
import { bareMetalHosts, bareMetalMachines } from '../../src/reconcilers/shared/kinds.js';
import { hetznerClusters } from './provisioning-objects.js';

export const bareMetalMachinesKind = bareMetalMachines;
export const bareMetalHostsKind = bareMetalHosts;
export const CLUSTER = 'my-cluster';
const CLUSTER_LABEL = { [CLUSTER_NAME_LABEL]: CLUSTER };

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface BareMetalMachine extends KubeObject {
  spec: { providerID?: string; installImage: Record<string, unknown>; sshSpec?: Record<string, unknown> };
  status?: {
    ready?: boolean;
    phase?: string;
    addresses?: { type: string; address: string }[];
    failureReason?: string;
    failureMessage?: string;
    conditions?: Condition[];
    v1beta2?: { conditions?: Condition[] };
  };
}

export interface BareMetalHost extends KubeObject {
  spec: {
    serverID: number;
    consumerRef?: { kind?: string; name?: string; namespace?: string; apiVersion?: string };
    status?: Record<string, unknown> & { provisioningState?: string };
  };
}

export function condition(object: BareMetalMachine | undefined, type: string): Condition | undefined {
  return object?.status?.conditions?.find((c) => c.type === type);
}

/** The HetznerCluster (CAPH's example; annotations optional) and the Cluster naming it. */
export async function createBareMetalCluster(
  client: KubeClient,
  namespace: string,
  options: { paused?: boolean; annotations?: Record<string, string> } = {},
): Promise<void> {
  const hetznerCluster = structuredClone(examples.hetznerCluster) as unknown as KubeObject;
  hetznerCluster.metadata = {
    name: CLUSTER,
    namespace,
    labels: CLUSTER_LABEL,
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  await client.create(hetznerClusters, hetznerCluster);
  await client.create(clusterKind, {
    apiVersion: CAPI_API_VERSION,
    kind: 'Cluster',
    metadata: { name: CLUSTER, namespace },
    spec: {
      paused: options.paused ?? false,
      infrastructureRef: { apiGroup: GROUP, kind: 'HetznerCluster', name: CLUSTER },
    },
  } as KubeObject);
}

export interface MachineOptions {
  readonly hostSelector?: HostSelector;
  /** Machine.spec.bootstrap.dataSecretName is set (default) or not yet. */
  readonly bootstrapReady?: boolean;
}

/** The bootstrap Secret, the owner Machine and the HetznerBareMetalMachine (CAPH's example spec). */
export async function createBareMetalMachine(
  client: KubeClient,
  namespace: string,
  name: string,
  options: MachineOptions = {},
): Promise<void> {
  const secretName = `bootstrap-${name}`;
  const value = Buffer.from(`#cloud-config\nhostname: ${name}\n`).toString('base64');
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secretName, namespace },
    data: { value },
  };
  await client.create(secretKind, secret);
  const machine = await client.create(machineKind, {
    apiVersion: CAPI_API_VERSION,
    kind: 'Machine',
    metadata: { name, namespace, labels: CLUSTER_LABEL },
    spec: {
      clusterName: CLUSTER,
      bootstrap:
        options.bootstrapReady === false
          ? { configRef: bootstrapConfigRef(name) }
          : { dataSecretName: secretName },
      infrastructureRef: { apiGroup: GROUP, kind: 'HetznerBareMetalMachine', name },
    },
  } as KubeObject);
  const example = structuredClone(examples.hetznerBareMetalMachine);
  await client.create(bareMetalMachinesKind, {
    apiVersion: example.apiVersion,
    kind: example.kind,
    metadata: {
      name,
      namespace,
      labels: CLUSTER_LABEL,
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
    spec: { ...example.spec, ...(options.hostSelector ? { hostSelector: options.hostSelector } : {}) },
  } as KubeObject);
}

function bootstrapConfigRef(name: string): Record<string, string> {
  return { apiGroup: CAPI_BOOTSTRAP_GROUP, kind: 'KubeadmConfig', name };
}

/** A HetznerBareMetalHost with a single root disk (CAPH's example), `labels` and `serverID`. */
export async function createHost(
  client: KubeClient,
  namespace: string,
  name: string,
  options: { serverID: number; labels?: Record<string, string> },
): Promise<void> {
  const example = structuredClone(examples.hetznerBareMetalHost);
  await client.create(bareMetalHostsKind, {
    apiVersion: example.apiVersion,
    kind: example.kind,
    metadata: { name, namespace, labels: options.labels ?? {} },
    spec: { ...example.spec, serverID: options.serverID },
  } as KubeObject);
}

/** Acts as the host controller: merges `status` into the host's spec.status. */
export async function setHostStatus(
  client: KubeClient,
  namespace: string,
  name: string,
  status: Record<string, unknown>,
): Promise<void> {
  await client.mergePatch(bareMetalHostsKind, { namespace, name }, { spec: { status } });
}
