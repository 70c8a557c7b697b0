import type { HostRescueKey } from '../../baremetal/index.js';
import type { RegistryCredential } from '../../image-url/index.js';
import { objectKey, type ClusterLike, type Informer } from '../../kube/index.js';
import {
  hetznerClusters as hetznerClustersKind,
  referencedName,
  type InfrastructureRef,
} from '../shared/kinds.js';
import type { SecretReader } from './secrets.js';
import type { HetznerClusterObject } from './types.js';

/** Robot credentials of the HetznerCluster's Secret; never logged, never in a message. */
export interface RobotCredentials {
  readonly user: string;
  readonly password: string;
}

/** What the host needs from its HetznerCluster. */
export interface ClusterInputs {
  readonly robot: RobotCredentials | string;
  readonly rescueKey: HostRescueKey;
  /** The cluster's own registry credentials (`spec.ociRegistryAuth`); a string says why they are unreadable. */
  readonly registry?: RegistryCredential | string;
}

/** The HetznerCluster a Cluster's infrastructureRef names. */
export function hetznerClusterOfCluster(
  cluster: ClusterLike | undefined,
  hetznerClusters: Informer<HetznerClusterObject>,
): HetznerClusterObject | undefined {
  const ref = (cluster?.spec as { infrastructureRef?: InfrastructureRef } | undefined)?.infrastructureRef;
  const name = referencedName(ref, hetznerClustersKind);
  return name === undefined
    ? undefined
    : hetznerClusters.store.get(objectKey(cluster?.metadata.namespace, name));
}

function robotOf(cluster: HetznerClusterObject, secrets: SecretReader): RobotCredentials | string {
  const ref = cluster.spec.hetznerSecretRef;
  const namespace = cluster.metadata.namespace ?? '';
  const user = secrets.value(namespace, ref.name, ref.key.hetznerRobotUser);
  const password = secrets.value(namespace, ref.name, ref.key.hetznerRobotPassword);
  if (user === undefined || password === undefined) {
    return `Secret ${namespace}/${ref.name} (spec.hetznerSecretRef) has no Robot credentials under keys ${JSON.stringify(ref.key.hetznerRobotUser)} and ${JSON.stringify(ref.key.hetznerRobotPassword)}`;
  }
  return { user: user.trim(), password: password.trim() };
}

/** CAPH's rescue key: `sshKeys.robotRescueSecretRef` (name, public and private key in one Secret). */
function rescueKeyOf(cluster: HetznerClusterObject, secrets: SecretReader): HostRescueKey {
  const ref = cluster.spec.sshKeys.robotRescueSecretRef;
  const namespace = cluster.metadata.namespace ?? '';
  if (!ref?.name) {
    return {
      status: 'unavailable',
      message: `HetznerCluster ${cluster.metadata.name ?? ''} has no spec.sshKeys.robotRescueSecretRef`,
    };
  }
  const read = (key: string): string | undefined => secrets.value(namespace, ref.name, key);
  const name = read(ref.key.name);
  const publicKey = read(ref.key.publicKey);
  const privateKey = read(ref.key.privateKey);
  if (name === undefined || publicKey === undefined || privateKey === undefined) {
    const keys = [ref.key.name, ref.key.publicKey, ref.key.privateKey].map((key) => JSON.stringify(key));
    return {
      status: 'unavailable',
      message: `Secret ${namespace}/${ref.name} (spec.sshKeys.robotRescueSecretRef) must hold keys ${keys.join(', ')}`,
    };
  }
  return { status: 'available', name: name.trim(), publicKey: publicKey.trim(), privateKey };
}

function registryOf(
  cluster: HetznerClusterObject,
  secrets: SecretReader,
): RegistryCredential | string | undefined {
  const auth = cluster.spec.ociRegistryAuth;
  if (auth === undefined) return undefined;
  const namespace = cluster.metadata.namespace ?? '';
  const token = secrets.value(namespace, auth.secretRef.name, auth.secretRef.key);
  if (token === undefined) {
    return `Secret ${namespace}/${auth.secretRef.name} (spec.ociRegistryAuth) has no registry credentials under key ${JSON.stringify(auth.secretRef.key)}`;
  }
  return { token, hosts: auth.hosts };
}

/** Robot credentials, the rescue key and the registry credentials of a HetznerCluster. */
export function clusterInputsOf(cluster: HetznerClusterObject, secrets: SecretReader): ClusterInputs {
  const registry = registryOf(cluster, secrets);
  return {
    robot: robotOf(cluster, secrets),
    rescueKey: rescueKeyOf(cluster, secrets),
    ...(registry === undefined ? {} : { registry }),
  };
}
