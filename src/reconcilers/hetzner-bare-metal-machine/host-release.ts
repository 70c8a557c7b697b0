import { CLUSTER_NAME_LABEL, type KubeClient } from '../../kube/index.js';
import { ownerRefsWithout } from './host-claim.js';
import { isEmpty, writeHost } from './host-writes.js';
import type { BareMetalHostObject, BareMetalMachineObject } from './types.js';

/** Where releasing the host stands. */
export type ReleaseStep =
  | { readonly kind: 'released' }
  | { readonly kind: 'waiting'; readonly message: string }
  | { readonly kind: 'conflict' };

/** CAPH's removeMachineSpecsFromHost: without installImage the host controller deprovisions. */
function machineSpecChanges(host: BareMetalHostObject): Record<string, null> {
  const status = host.spec.status;
  return Object.fromEntries(
    (['installImage', 'userData', 'sshStatus'] as const)
      .filter((field) => status?.[field] !== undefined)
      .map((field) => [field, null]),
  );
}

/**
 * The last step (CAPH, once the host is deprovisioned): no consumerRef, sshSpec or
 * hetznerClusterRef, no owner reference to this machine, no cluster-name label of its cluster.
 */
function referenceChanges(
  host: BareMetalHostObject,
  machine: BareMetalMachineObject,
): { metadata: object; spec: object } {
  const clusterName = machine.metadata.labels?.[CLUSTER_NAME_LABEL];
  const ownerReferences = ownerRefsWithout(host, machine);
  const dropLabel = clusterName !== undefined && host.metadata.labels?.[CLUSTER_NAME_LABEL] === clusterName;
  return {
    metadata: {
      ...(ownerReferences ? { ownerReferences } : {}),
      ...(dropLabel ? { labels: { [CLUSTER_NAME_LABEL]: null } } : {}),
    },
    spec: {
      consumerRef: null,
      ...(host.spec.status ? { status: { sshSpec: null, hetznerClusterRef: '' } } : {}),
    },
  };
}

/**
 * One step of CAPH's release of the host this machine consumes: first clear what the machine
 * copied (the host controller then deprovisions it on its own), wait until its provisioning
 * state is back to none, then drop every reference. Each write is conditional on the
 * resourceVersion read, so a host controller writing at the same time is never overwritten.
 */
export async function releaseStep(
  client: KubeClient,
  host: BareMetalHostObject,
  machine: BareMetalMachineObject,
  signal?: AbortSignal,
): Promise<ReleaseStep> {
  const specChanges = machineSpecChanges(host);
  if (!isEmpty(specChanges)) {
    const written = await writeHost(client, host, { spec: { status: specChanges } }, signal);
    if (written === 'conflict') return { kind: 'conflict' };
    return { kind: 'waiting', message: 'Waiting for host to deprovision' };
  }
  const state = host.spec.status?.provisioningState ?? '';
  if (state !== '') return { kind: 'waiting', message: `Waiting for host to deprovision (state: ${state})` };
  const written = await writeHost(client, host, referenceChanges(host, machine), signal);
  return written === 'conflict' ? { kind: 'conflict' } : { kind: 'released' };
}

/** CAPH drops its owner reference from a host another machine consumes (or nobody does). */
export async function dropOwnerReference(
  client: KubeClient,
  host: BareMetalHostObject,
  machine: BareMetalMachineObject,
  signal?: AbortSignal,
): Promise<ReleaseStep> {
  const ownerReferences = ownerRefsWithout(host, machine);
  if (!ownerReferences) return { kind: 'released' };
  const written = await writeHost(client, host, { metadata: { ownerReferences } }, signal);
  return written === 'conflict' ? { kind: 'conflict' } : { kind: 'released' };
}
