import { commandRegistryToken, type RegistryCredential } from '../../image-url/index.js';
import { KnownSecrets } from '../../util/known-secrets.js';
import { secretValue as readSecretValue } from '../shared/secret-value.js';
import { secretKind, type KubeClient } from '../../kube/index.js';
import { NAMESPACE_LABEL, type MachineInput, type RescueKeyInput } from '../../provisioning/index.js';
import type { HCloudMachineObject, Owners, SecretObject } from './types.js';

/** What the reconciler gathers for one call of the core. */
export interface GatheredInput {
  readonly input: MachineInput;
  /** The HetznerCluster's hcloud token; undefined when the Secret or its key is missing. */
  readonly token: string | undefined;
  /** Why the cluster's registry credentials (`spec.ociRegistryAuth`) cannot be read, when it names them. */
  readonly registryProblem?: string;
}

interface Reader {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly signal?: AbortSignal;
  /** Told every value read, for the process's redactor. */
  readonly known?: KnownSecrets | undefined;
}

/** The decoded value; undefined when the key is missing or empty, null when the Secret is. */
async function secretValue(reader: Reader, name: string, key: string): Promise<string | undefined | null> {
  const secret = await reader.client.find<SecretObject>(secretKind, reader.namespace, name, reader.signal);
  const read = readSecretValue(secret, key, reader.known ?? new KnownSecrets());
  if (read.kind === 'missing') return null;
  return read.kind === 'found' ? read.value : undefined;
}

async function rescueKeyOf(reader: Reader, owners: Owners): Promise<RescueKeyInput> {
  const ref = owners.hetznerCluster.spec.sshKeys.robotRescueSecretRef;
  if (!ref?.name) return { status: 'secret-ref-not-configured' };
  const value = await secretValue(reader, ref.name, ref.key.privateKey);
  if (value === null) return { status: 'secret-not-found', message: `Secret ${ref.name} not found` };
  if (!value) {
    return { status: 'field-empty', message: `Secret ${ref.name} has no value at ${ref.key.privateKey}` };
  }
  return { status: 'available', privateKey: value };
}

async function bootstrapDataOf(reader: Reader, owners: Owners): Promise<string | undefined> {
  const name = owners.machine.spec?.bootstrap?.dataSecretName;
  if (!name) return undefined;
  return (await secretValue(reader, name, 'value')) ?? undefined;
}

/**
 * The token the command gets: the cluster's own registry credentials (`spec.ociRegistryAuth`) for
 * its hosts, else the controller's; a problem says why the cluster's cannot be read (the machine
 * then waits rather than fall back to another token).
 */
async function registryTokenOf(
  reader: Reader,
  owners: Owners,
  imageUrl: string,
  controller: RegistryCredential,
): Promise<{ readonly token?: string | undefined; readonly problem?: string }> {
  // Only the image-URL command gets a token: an imageName machine never waits for one.
  if (imageUrl === '') return {};
  const auth = owners.hetznerCluster.spec.ociRegistryAuth;
  if (auth === undefined) return { token: commandRegistryToken(imageUrl, { controller }) };
  const { name, key } = auth.secretRef;
  const token = await secretValue(reader, name, key);
  if (!token) {
    return {
      problem: `the HetznerCluster’s registry Secret ${name} (spec.ociRegistryAuth) is missing or has no value under key ${JSON.stringify(key)}`,
    };
  }
  return { token: commandRegistryToken(imageUrl, { cluster: { token, hosts: auth.hosts }, controller }) };
}

/**
 * CAPH's server labels, and the machine's namespace: a server is this machine's only when it
 * carries all of them (names alone collide across namespaces).
 */
function labelsOf(object: HCloudMachineObject, owners: Owners): Record<string, string> {
  const clusterName = owners.cluster.metadata.name ?? '';
  const controlPlane = owners.machine.metadata.labels?.['cluster.x-k8s.io/control-plane'] !== undefined;
  return {
    [`caph-cluster-${clusterName}`]: 'owned',
    'machine.caph-name': object.metadata.name ?? '',
    machine_type: controlPlane ? 'control_plane' : 'worker',
    [NAMESPACE_LABEL]: object.metadata.namespace ?? '',
  };
}

function locationOf(object: HCloudMachineObject, owners: Owners): string | undefined {
  return (
    object.status?.region ??
    owners.machine.spec?.failureDomain ??
    owners.hetznerCluster.spec.controlPlaneRegions[0]
  );
}

/** CAPH: without a private network the server keeps its public IPv4 (the load balancer needs one). */
function publicNetworkOf(object: HCloudMachineObject, owners: Owners): MachineInput['publicNetwork'] {
  const wanted = object.spec.publicNetwork;
  if (wanted === undefined || owners.hetznerCluster.spec.hcloudNetwork?.enabled === true) return wanted;
  return { ...wanted, enableIPv4: true };
}

/** `spec.placementGroupName` with the group's ID from the HetznerCluster's status, when it has it. */
function placementGroupOf(object: HCloudMachineObject, owners: Owners): MachineInput['placementGroup'] {
  const name = object.spec.placementGroupName;
  if (!name) return undefined;
  const found = owners.hetznerCluster.status?.hcloudPlacementGroups?.find((group) => group.name === name);
  return found?.id === undefined ? { name } : { name, id: found.id };
}

/** The cluster's private network, once the HetznerCluster made it. */
function networkIdsOf(owners: Owners): readonly number[] | undefined {
  const { spec, status } = owners.hetznerCluster;
  const id = status?.networkStatus?.id;
  return spec.hcloudNetwork?.enabled === true && id !== undefined ? [id] : undefined;
}

/** The MachineInput for the core, from the HCloudMachine, its owners and their Secrets. */
export async function gatherInput(
  reader: Reader,
  object: HCloudMachineObject,
  owners: Owners,
  controllerRegistry: RegistryCredential,
): Promise<GatheredInput> {
  const { spec } = object;
  const registry = await registryTokenOf(reader, owners, spec.imageURL ?? '', controllerRegistry);
  const secretRef = owners.hetznerCluster.spec.hetznerSecretRef;
  const token = await secretValue(reader, secretRef.name, secretRef.key.hcloudToken);
  const sshKeys = (spec.sshKeys ?? owners.hetznerCluster.spec.sshKeys.hcloud ?? []).map((key) => key.name);
  const optional = Object.entries({
    bootstrapData: await bootstrapDataOf(reader, owners),
    location: locationOf(object, owners),
    publicNetwork: publicNetworkOf(object, owners),
    placementGroup: placementGroupOf(object, owners),
    networkIds: networkIdsOf(owners),
    registryToken: registry.token === '' ? undefined : registry.token,
    imageName: spec.imageName,
  }).filter(([, value]) => value !== undefined);
  const input = {
    name: object.metadata.name ?? '',
    serverType: spec.type,
    imageUrl: spec.imageURL ?? '',
    commandName: spec.imageURLCommand ?? '',
    sshKeys,
    labels: labelsOf(object, owners),
    rescueKey: await rescueKeyOf(reader, owners),
    ...Object.fromEntries(optional),
  } as MachineInput;
  return {
    input,
    token: token ? token : undefined,
    ...(registry.problem === undefined ? {} : { registryProblem: registry.problem }),
  };
}
