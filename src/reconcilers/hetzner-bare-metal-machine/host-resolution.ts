import { objectKey, type Informer, type KubeClient } from '../../kube/index.js';
import { claimChanges } from './host-claim.js';
import { chooseHost, isConsumedBy } from './host-choice.js';
import { writeHost } from './host-writes.js';
import {
  bareMetalHosts,
  HOST_ANNOTATION,
  type BareMetalHostObject,
  type BareMetalMachineObject,
  type Owners,
} from './types.js';

/** Where the machine stands with its host after this step. */
export type Resolution =
  /** The host is this machine's; `claimed` when this reconcile made it so. */
  | { readonly kind: 'associated'; readonly host: BareMetalHostObject; readonly claimed: boolean }
  | { readonly kind: 'none'; readonly reason: string }
  /** The annotation names a host that does not exist (CAPH: HostNotFound, remediate). */
  | { readonly kind: 'missing'; readonly name: string }
  /** The host changed while it was being claimed or updated: read again. */
  | { readonly kind: 'conflict' };

export interface ResolveContext {
  readonly client: KubeClient;
  readonly hosts: Informer<BareMetalHostObject>;
  readonly machine: BareMetalMachineObject;
  readonly owners: Owners;
  readonly signal?: AbortSignal;
}

/** The host name of CAPH's `<namespace>/<name>` annotation (the namespace is the machine's). */
export function annotatedHostName(machine: BareMetalMachineObject): string | undefined {
  const parts = machine.metadata.annotations?.[HOST_ANNOTATION]?.split('/');
  return parts?.length === 2 && parts[1] ? parts[1] : undefined;
}

/** The annotated host: from the cache when it shows the host as ours, else read live. */
async function annotatedHost(
  context: ResolveContext,
  name: string,
): Promise<BareMetalHostObject | undefined> {
  const namespace = context.machine.metadata.namespace ?? '';
  const cached = context.hosts.store.get(objectKey(namespace, name));
  if (cached && isConsumedBy(cached, context.machine)) return cached;
  return context.client.find<BareMetalHostObject>(bareMetalHosts, namespace, name, context.signal);
}

/** Claims the host, or completes an earlier claim, with one resourceVersion-conditional write. */
async function claim(context: ResolveContext, host: BareMetalHostObject): Promise<Resolution> {
  const changes = claimChanges(host, context.machine, context.owners);
  if (!changes) return { kind: 'associated', host, claimed: false };
  const written = await writeHost(context.client, host, changes, context.signal);
  if (written === 'conflict') return { kind: 'conflict' };
  return { kind: 'associated', host: written, claimed: !isConsumedBy(host, context.machine) };
}

/**
 * The machine's host: the annotated one while it is consumed by this machine; otherwise CAPH's
 * choice among the namespace's hosts, listed live (the host this machine consumes already comes
 * first, so a claim whose annotation was never written is found again, not repeated on another
 * host). An annotated host another machine consumes is a stray annotation: choose again.
 */
export async function resolveHost(context: ResolveContext): Promise<Resolution> {
  const { machine } = context;
  const name = annotatedHostName(machine);
  if (name !== undefined) {
    const host = await annotatedHost(context, name);
    if (!host) return { kind: 'missing', name };
    if (isConsumedBy(host, machine)) return claim(context, host);
  }
  const options = {
    namespace: machine.metadata.namespace ?? '',
    ...(context.signal ? { signal: context.signal } : {}),
  };
  const hosts = await context.client.list<BareMetalHostObject>(bareMetalHosts, options);
  const choice = chooseHost(machine, hosts.items);
  return choice.kind === 'none' ? choice : claim(context, choice.host);
}
