import {
  hostnameOf,
  type DeviceStringType,
  type HostInput,
  type OsCheck,
  type ProvisioningRequest,
  type RootDeviceHints,
} from '../../baremetal/index.js';
import { commandRegistryToken, type RegistryCredential } from '../../image-url/index.js';
import { CLUSTER_NAME_LABEL, objectKey, type ClusterLike, type Informer } from '../../kube/index.js';
import {
  clusterInputsOf,
  hetznerClusterOfCluster,
  type ClusterInputs,
  type RobotCredentials,
} from './cluster-inputs.js';
import { foreignNamespaceMessage, referenceNamespace } from '../shared/own-namespace.js';
import type { SecretReader } from './secrets.js';
import { earlierHostOfServer } from './server-claim.js';
import {
  CONSTANT_HOSTNAME_ANNOTATION,
  type BareMetalHostObject,
  type BareMetalMachineObject,
  type HetznerClusterObject,
} from './types.js';

/** What one reconcile reads: caches kept current by their watches, and the Secrets fetched for it. */
export interface HostCaches {
  readonly secrets: SecretReader;
  /** Every host, indexed by Robot server (server-claim.ts). */
  readonly hosts: Informer<BareMetalHostObject>;
  readonly machines: Informer<BareMetalMachineObject>;
  readonly clusters: Informer<ClusterLike>;
  readonly hetznerClusters: Informer<HetznerClusterObject>;
}

export type GatheredHost =
  | { readonly kind: 'ready'; readonly input: HostInput; readonly robot: RobotCredentials | string }
  /** Something the claimed host needs is missing; its watch brings the host back. */
  | { readonly kind: 'waiting'; readonly message: string };

interface Claim {
  readonly host: BareMetalHostObject;
  readonly namespace: string;
  readonly machine: BareMetalMachineObject | undefined;
  readonly cluster: ClusterLike | undefined;
}

/** The machine named by spec.consumerRef, found only in the host's own namespace. */
function consumerOf(
  host: BareMetalHostObject,
  namespace: string,
  machines: Informer<BareMetalMachineObject>,
): BareMetalMachineObject | undefined {
  const ref = host.spec.consumerRef;
  const machineNamespace = referenceNamespace(namespace, ref?.namespace);
  if (!ref?.name || machineNamespace === undefined) return undefined;
  return machines.store.get(objectKey(machineNamespace, ref.name));
}

function claimOf(host: BareMetalHostObject, caches: HostCaches): Claim {
  const namespace = host.metadata.namespace ?? '';
  const machine = consumerOf(host, namespace, caches.machines);
  const clusterName =
    host.metadata.labels?.[CLUSTER_NAME_LABEL] ?? machine?.metadata.labels?.[CLUSTER_NAME_LABEL];
  const cluster = clusterName ? caches.clusters.store.get(objectKey(namespace, clusterName)) : undefined;
  return { host, namespace, machine, cluster };
}

/** spec.status.hetznerClusterRef, else the consuming machine's Cluster's HetznerCluster. */
function hetznerClusterOf(claim: Claim, caches: HostCaches): HetznerClusterObject | undefined {
  const name = claim.host.spec.status?.hetznerClusterRef;
  if (name) return caches.hetznerClusters.store.get(objectKey(claim.namespace, name));
  return hetznerClusterOfCluster(claim.cluster, caches.hetznerClusters);
}

function osCheckOf(claim: Claim, secrets: SecretReader): OsCheck | string {
  const sshSpec = claim.host.spec.status?.sshSpec;
  if (!sshSpec || sshSpec.noSSHAfterInstallImage === true) return { check: 'none' };
  const ref = sshSpec.secretRef;
  const privateKey = secrets.value(claim.namespace, ref.name, ref.key.privateKey);
  if (privateKey === undefined) {
    return `Secret ${claim.namespace}/${ref.name} (sshSpec.secretRef) has no OS private key under key ${JSON.stringify(ref.key.privateKey)}`;
  }
  return { check: 'ssh', privateKey, port: sshSpec.portAfterInstallImage };
}

const isTrue = (value: string | undefined): boolean => value === 'true';

/** CAPH's host name: `bm-<machine>`, or `bm-<cluster>-<serverID>` with the constant-hostname annotation. */
function hostnameFor(claim: Claim, machineName: string): string {
  const constantHostname =
    isTrue(claim.cluster?.metadata.annotations?.[CONSTANT_HOSTNAME_ANNOTATION]) ||
    isTrue(claim.machine?.metadata.annotations?.[CONSTANT_HOSTNAME_ANNOTATION]);
  const clusterName = claim.cluster?.metadata.name ?? claim.host.metadata.labels?.[CLUSTER_NAME_LABEL] ?? '';
  return hostnameOf({ machineName, clusterName, serverId: claim.host.spec.serverID, constantHostname });
}

/**
 * The bootstrap Secret's `value` (spec.status.userData); undefined while it cannot be read, a
 * message when the reference leaves the host's namespace.
 */
function bootstrapDataOf(claim: Claim, secrets: SecretReader): { readonly data?: string } | string {
  const userData = claim.host.spec.status?.userData;
  if (!userData?.name) return {};
  const namespace = referenceNamespace(claim.namespace, userData.namespace);
  if (namespace === undefined) {
    return foreignNamespaceMessage(
      'spec.status.userData.namespace',
      userData.namespace ?? '',
      claim.namespace,
    );
  }
  const data = secrets.value(namespace, userData.name, 'value');
  return data === undefined ? {} : { data };
}

/**
 * CAPH reads deviceStringType from the HetznerBareMetalMachine, not the host's copy
 * (`pkg/services/baremetal/host/host.go`, actionImageInstallingImageURLCommand).
 */
function deviceStringTypeOf(claim: Claim): DeviceStringType {
  const copy = claim.host.spec.status?.installImage?.deviceStringType;
  return claim.machine?.spec.installImage.deviceStringType ?? copy ?? '';
}

type InstallImage = NonNullable<NonNullable<BareMetalHostObject['spec']['status']>['installImage']>;

function installArgs(
  installImage: InstallImage,
): Pick<ProvisioningRequest, 'imageUrl' | 'commandName' | 'swraid'> {
  return {
    imageUrl: installImage.image.url ?? '',
    commandName: installImage.imageURLCommand ?? '',
    swraid: installImage.swraid === 1 ? 1 : 0,
  };
}

/** CAPH's setHostSpec copy as the core's request; undefined once the machine released the host. */
function requestOf(claim: Claim, secrets: SecretReader): ProvisioningRequest | string | undefined {
  const installImage = claim.host.spec.status?.installImage;
  const machineName = claim.host.spec.consumerRef?.name;
  // A host being deleted deprovisions whatever it was asked for.
  if (!installImage || !machineName || claim.host.metadata.deletionTimestamp) return undefined;
  const os = osCheckOf(claim, secrets);
  if (typeof os === 'string') return os;
  const bootstrap = bootstrapDataOf(claim, secrets);
  if (typeof bootstrap === 'string') return bootstrap;
  return {
    hostname: hostnameFor(claim, machineName),
    ...installArgs(installImage),
    deviceStringType: deviceStringTypeOf(claim),
    ...(bootstrap.data === undefined ? {} : { bootstrapData: bootstrap.data }),
    os,
  };
}

function rootDeviceHintsOf(host: BareMetalHostObject): RootDeviceHints | undefined {
  const hints = host.spec.rootDeviceHints;
  if (!hints) return undefined;
  const raid = hints.raid?.wwn ? { raid: { wwn: hints.raid.wwn } } : {};
  return { ...(hints.wwn ? { wwn: hints.wwn } : {}), ...raid };
}

/** The command's token: the cluster's for its hosts, else the controller's; never another while the cluster's is unreadable. */
function registryTokenOf(
  request: ProvisioningRequest,
  cluster: ClusterInputs['registry'],
  controller: RegistryCredential,
): string | undefined | { readonly kind: 'waiting'; readonly message: string } {
  if (typeof cluster === 'string') return { kind: 'waiting', message: cluster };
  return commandRegistryToken(request.imageUrl, { cluster, controller });
}

function clusterInputsFor(claim: Claim, caches: HostCaches): ClusterInputs {
  const hetznerCluster = hetznerClusterOf(claim, caches);
  if (hetznerCluster) return clusterInputsOf(hetznerCluster, caches.secrets);
  return {
    robot: 'no HetznerCluster found (spec.status.hetznerClusterRef, or the machine’s Cluster)',
    rescueKey: { status: 'unavailable', message: 'no HetznerCluster found' },
  };
}

/** The core's HostInput from the host, its claiming machine, their cluster and the Secrets. */
export function gatherHostInput(
  host: BareMetalHostObject,
  caches: HostCaches,
  controllerRegistry: RegistryCredential,
): GatheredHost {
  const claim = claimOf(host, caches);
  const request = requestOf(claim, caches.secrets);
  if (typeof request === 'string') return { kind: 'waiting', message: request };
  const inputs = clusterInputsFor(claim, caches);
  const registryToken = request ? registryTokenOf(request, inputs.registry, controllerRegistry) : undefined;
  if (typeof registryToken === 'object') return registryToken;
  const hints = rootDeviceHintsOf(host);
  const serverClaimedBy = earlierHostOfServer(host, caches.hosts);
  const input: HostInput = {
    name: host.metadata.name ?? '',
    serverId: host.spec.serverID,
    ...(hints ? { rootDeviceHints: hints } : {}),
    ...(request ? { request } : {}),
    ...(host.metadata.deletionTimestamp ? { deleting: true } : {}),
    ...(serverClaimedBy === undefined ? {} : { serverClaimedBy }),
    rescueKey: inputs.rescueKey,
    ...(registryToken ? { registryToken } : {}),
  };
  return { kind: 'ready', input, robot: inputs.robot };
}
