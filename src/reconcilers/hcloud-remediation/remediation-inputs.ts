import { HCloudMachineConditions, MachineRemediationConditions } from '../../../api/conditions/index.js';
import { PAUSED_ANNOTATION, secretKind } from '../../kube/index.js';
import type { CloudServerReboots } from '../../ports/cloud-servers.js';
import { serverIdOf } from '../../provisioning/index.js';
import { KnownSecrets } from '../../util/known-secrets.js';
import { hcloudMachines, referencedName } from '../shared/kinds.js';
import type { HCloudMachineObject, SecretObject } from '../shared/objects.js';
import { fetchOwners, type Owners } from '../shared/owners.js';
import { secretValue } from '../shared/secret-value.js';
import type { HCloudRemediationDeps, HCloudRemediationObject, RemediatedMachine } from './types.js';

/** The objects a remediation acts on, found through its owner Machine (CAPH's preamble). */
export interface RemediationTarget {
  readonly owners: Owners<RemediatedMachine>;
  readonly hcloudMachine: HCloudMachineObject;
}

export type TargetLookup =
  | { readonly kind: 'found'; readonly target: RemediationTarget }
  /** Nothing to do until a watched object changes; `why` is logged. */
  | { readonly kind: 'idle'; readonly why: string };

export async function findTarget(
  deps: HCloudRemediationDeps,
  object: HCloudRemediationObject,
  signal: AbortSignal,
): Promise<TargetLookup> {
  const found = await fetchOwners<RemediatedMachine>(deps.client, object, signal);
  if (found.kind === 'waiting') return { kind: 'idle', why: found.message };
  const { machine } = found.owners;
  const name = referencedName(machine.spec?.infrastructureRef, hcloudMachines);
  if (name === undefined) return { kind: 'idle', why: 'the Machine’s infrastructureRef is no HCloudMachine' };
  const namespace = object.metadata.namespace ?? '';
  const hcloudMachine = await deps.client.find<HCloudMachineObject>(hcloudMachines, namespace, name, signal);
  if (!hcloudMachine) return { kind: 'idle', why: `HCloudMachine ${name} not found` };
  if (hcloudMachine.metadata.annotations?.[PAUSED_ANNOTATION] !== undefined)
    return { kind: 'idle', why: `HCloudMachine ${name} is paused` };
  return { kind: 'found', target: { owners: found.owners, hcloudMachine } };
}

/** The HetznerCluster's hcloud token; undefined when its Secret or key is missing or empty. */
export async function hcloudToken(
  deps: HCloudRemediationDeps,
  target: RemediationTarget,
  signal: AbortSignal,
): Promise<string | undefined> {
  const ref = target.owners.hetznerCluster.spec.hetznerSecretRef;
  const namespace = target.hcloudMachine.metadata.namespace ?? '';
  const secret = await deps.client.find<SecretObject>(secretKind, namespace, ref.name, signal);
  const read = secretValue(secret, ref.key.hcloudToken, deps.knownSecrets ?? new KnownSecrets());
  return read.kind === 'found' ? read.value : undefined;
}

/**
 * Why a machine's server creation failed for good, when it did: rebooting or replacing it cannot
 * help (CAPH skips remediation then, and so does imageurl).
 */
export function irrecoverableFailure(hcloudMachine: HCloudMachineObject): string | undefined {
  const created = HCloudMachineConditions.ServerCreated.v1beta1;
  const condition = hcloudMachine.status?.conditions?.find((c) => c.type === created.type);
  if (
    condition?.status !== 'False' ||
    condition.reason !== created.reasons.ServerCreateFailedIrrecoverableError
  )
    return undefined;
  return (
    'Remediation skipped: HCloudMachine has an irrecoverable server creation error. Delete the Machine ' +
    `to trigger a new creation attempt. Error: ${condition.message ?? ''}`
  );
}

/** Why there is no server to reboot, or undefined when `reboots` finds the machine's server. */
export async function missingServer(
  reboots: CloudServerReboots,
  hcloudMachine: HCloudMachineObject,
): Promise<string | undefined> {
  const providerID = hcloudMachine.spec.providerID;
  const serverId = serverIdOf(providerID);
  if (providerID === undefined) return 'ProviderID is not set';
  if (serverId === undefined) return `ProviderID "${providerID}" names no hcloud server`;
  const server = await reboots.getServer({ serverId });
  return server ? undefined : `No server found via hcloud api for providerID "${providerID}"`;
}

/** Whether the Machine's NodeHealthy condition (v1beta2, Cluster API 1.11+) is True. */
export function nodeHealthy(machine: RemediatedMachine): boolean {
  const type = MachineRemediationConditions.NodeHealthy.v1beta2.type;
  return machine.status?.conditions?.some((c) => c.type === type && c.status === 'True') === true;
}
