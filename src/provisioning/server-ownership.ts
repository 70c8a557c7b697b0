import type { CloudServer } from '../ports/cloud-servers.js';
import { ProvisioningError } from '../image-url/errors.js';
import type { MachineInput } from './machine.js';

/**
 * The label naming the machine's namespace on every server created for it: machine and cluster
 * names alone collide across namespaces. Its value is a namespace name (a DNS label, at most 63
 * characters), which is always a valid hcloud label value.
 */
export const NAMESPACE_LABEL = 'imageurl.io/namespace';

/** Whose a server is, as far as this machine can tell from the server's name and labels. */
export type Ownership =
  /** Created for this machine: its name, and every label this machine gives its server. */
  | { readonly kind: 'own' }
  /**
   * Created for this machine by CAPH (or by imageurl before the namespace label): everything
   * matches but the namespace label is absent. `labels` is the server's label set with it added.
   */
  | { readonly kind: 'unlabelled-namespace'; readonly labels: Readonly<Record<string, string>> }
  /** Not this machine's; `why` names what differs (label keys, never values of the stranger). */
  | { readonly kind: 'foreign'; readonly why: string };

export function ownershipOf(server: CloudServer, input: MachineInput): Ownership {
  const { missing, differing } = labelDifferences(server, input);
  const sameName = server.name === input.name;
  if (sameName && missing.length === 0 && differing.length === 0) return { kind: 'own' };
  if (sameName && differing.length === 0 && missing.join() === NAMESPACE_LABEL) {
    const namespace = input.labels[NAMESPACE_LABEL] ?? '';
    return { kind: 'unlabelled-namespace', labels: { ...server.labels, [NAMESPACE_LABEL]: namespace } };
  }
  const why = [
    sameName ? '' : `its name is not ${input.name}`,
    listed('labels missing', missing),
    listed('labels with another value', differing),
  ];
  return { kind: 'foreign', why: why.filter((part) => part !== '').join('; ') };
}

function listed(what: string, keys: readonly string[]): string {
  return keys.length === 0 ? '' : `${what}: ${keys.join(', ')}`;
}

/** The keys of this machine's labels the server lacks, and those it has with another value. */
function labelDifferences(
  server: CloudServer,
  input: MachineInput,
): { readonly missing: string[]; readonly differing: string[] } {
  const missing: string[] = [];
  const differing: string[] = [];
  for (const [key, value] of Object.entries(input.labels)) {
    if (!Object.hasOwn(server.labels, key)) missing.push(key);
    else if (server.labels[key] !== value) differing.push(key);
  }
  return { missing, differing };
}

/** A server that may be adopted by name: created for this machine, namespace label included. */
export function isOwnServer(server: CloudServer, input: MachineInput): boolean {
  return ownershipOf(server, input).kind === 'own';
}

/** A call on a server that is not this machine's was refused before it was made. */
export class ServerNotOwnedError extends ProvisioningError {
  constructor(
    readonly serverId: number,
    readonly why: string,
  ) {
    super('SERVER_NOT_OWNED', `server ${serverId} was not created for this machine (${why})`);
  }
}

export function isServerNotOwned(error: unknown): error is ServerNotOwnedError {
  return error instanceof ServerNotOwnedError;
}

/**
 * The (machine, server) pairs this controller process has seen to belong together: a server it
 * created for the machine, or whose name and labels it checked. One per process, held by the
 * composition root, so each machine costs at most one extra look at its server per process.
 * Machines are keyed by namespace and name, never by UID (`clusterctl move` changes UIDs).
 */
export class VerifiedServers {
  private readonly pairs = new Set<string>();

  has(input: MachineInput, serverId: number): boolean {
    return this.pairs.has(keyOf(input, serverId));
  }

  add(input: MachineInput, serverId: number): void {
    this.pairs.add(keyOf(input, serverId));
  }
}

function keyOf(input: MachineInput, serverId: number): string {
  return JSON.stringify([input.labels[NAMESPACE_LABEL] ?? '', input.name, serverId]);
}
