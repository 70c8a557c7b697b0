import { GROUP, type ObjectReference } from '../../../api/v1beta1/index.js';
import { bareMetalMachines } from '../shared/kinds.js';
import { compileSelector } from './host-selector.js';
import type { BareMetalHostObject, BareMetalMachineObject } from './types.js';

/** The host for a machine, or CAPH's human-readable reason why there is none. */
export type HostChoice =
  | { readonly kind: 'chosen'; readonly host: BareMetalHostObject }
  | { readonly kind: 'none'; readonly reason: string };

/** CAPH's consumerRefMatches: same name, namespace, kind and API group. */
export function consumerRefMatches(
  ref: ObjectReference | undefined,
  machine: BareMetalMachineObject,
  hostNamespace?: string,
): boolean {
  if (!ref) return false;
  const namespace = ref.namespace || hostNamespace;
  if (ref.name !== machine.metadata.name || namespace !== machine.metadata.namespace) return false;
  if (ref.kind !== undefined && ref.kind !== bareMetalMachines.kind) return false;
  return ref.apiVersion === undefined || ref.apiVersion.split('/')[0] === GROUP;
}

export function isConsumedBy(host: BareMetalHostObject, machine: BareMetalMachineObject): boolean {
  return consumerRefMatches(host.spec.consumerRef, machine, host.metadata.namespace);
}

/** Why an unused host that the selector matches cannot take this machine (CAPH's skipHost keys). */
function skipReason(host: BareMetalHostObject, machine: BareMetalMachineObject): string | undefined {
  const status = host.spec.status;
  if (host.metadata.deletionTimestamp) return 'hbmh-has-deletion-timestamp';
  if (host.spec.maintenanceMode === true) return 'hbmh-in-maintenance-mode';
  if (status?.errorMessage) return 'hbmh-has-error-message-in-status';
  if ((status?.provisioningState ?? '') !== '') return 'hbmh-in-wrong-provisioning-state';
  return rootDeviceHintsReason(host, machine.spec.installImage.swraid);
}

/** CAPH's RootDeviceHints.IsValid once some are set: one of wwn or raid.wwn, the RAID of two or more. */
function validHints(wwn: string, raid: readonly string[]): boolean {
  return wwn === '' ? raid.length >= 2 : raid.length === 0;
}

/**
 * Hosts without root device hints are eligible (they wait in registering until the hints are
 * set); hints that are set must be valid and fit the machine's swraid setting.
 */
function rootDeviceHintsReason(host: BareMetalHostObject, swraid: 0 | 1): string | undefined {
  const hints = host.spec.rootDeviceHints;
  const wwn = hints?.wwn ?? '';
  const raid = hints?.raid?.wwn ?? [];
  if (wwn === '' && raid.length === 0) return undefined;
  if (!validHints(wwn, raid)) return 'hbmh-has-invalid-rootDeviceHints';
  return swraidReason(wwn, raid, swraid);
}

/** Valid hints must fit the machine: swraid 1 needs the RAID WWNs, swraid 0 the single WWN. */
function swraidReason(wwn: string, raid: readonly string[], swraid: 0 | 1): string | undefined {
  if (swraid === 1) {
    return raid.length < 2 ? 'machine-should-use-swraid-but-not-enough-RAID-WWNs-in-hbmh' : undefined;
  }
  return wwn === '' ? 'machine-should-use-no-swraid-and-no-non-raid-WWN-in-hbmh' : undefined;
}

function reasonString(skipped: ReadonlyMap<string, number>, unused: number): string {
  const reasons = [...skipped.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, count]) => `${key}: ${count}`);
  return `No available host of ${unused} found: ${reasons.join(', ')}`;
}

/** CAPH prefers hosts with root device hints; then (our choice) the first by name. */
function pick(available: readonly BareMetalHostObject[]): BareMetalHostObject | undefined {
  const withHints = available.filter((host) => host.spec.rootDeviceHints !== undefined);
  const candidates = withHints.length > 0 ? withHints : available;
  return [...candidates].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''))[0];
}

/** Says so when nothing could ever match: no hosts at all, or none the selector matches. */
function nothingMatches(
  machine: BareMetalMachineObject,
  hosts: readonly BareMetalHostObject[],
): string | undefined {
  const namespace = machine.metadata.namespace ?? '';
  const selector = compileSelector(machine.spec.hostSelector);
  if (selector.kind === 'invalid') return `the hostSelector selects nothing: ${selector.problem}`;
  if (hosts.length === 0) return `there is no HetznerBareMetalHost in namespace ${namespace}`;
  if (hosts.some((host) => selector.matches(host.metadata.labels ?? {}))) return undefined;
  return `the hostSelector (${selector.text}) matches none of the ${hosts.length} HetznerBareMetalHosts in namespace ${namespace}`;
}

/**
 * CAPH's ChooseHost over the hosts of the machine's namespace: the host this machine already
 * consumes if any; otherwise an unused, selector-matching host that is not being deleted, not in
 * maintenance, has no error and no provisioning state, and whose root device hints fit. CAPH
 * picks one at random; imageurl picks the first by name, so the choice is reproducible (two
 * machines racing for it are told apart by the claim's resourceVersion, not by luck).
 */
export function chooseHost(
  machine: BareMetalMachineObject,
  hosts: readonly BareMetalHostObject[],
): HostChoice {
  const ours = hosts.find((host) => isConsumedBy(host, machine));
  if (ours) return { kind: 'chosen', host: ours };
  const nothing = nothingMatches(machine, hosts);
  if (nothing !== undefined) return { kind: 'none', reason: nothing };
  const selector = compileSelector(machine.spec.hostSelector);
  const unused = hosts.filter((host) => host.spec.consumerRef === undefined);
  if (unused.length === 0)
    return { kind: 'none', reason: `all hosts are in use - found ${hosts.length} hosts` };
  const skipped = new Map<string, number>();
  const available = unused.filter((host) => {
    const matches = selector.kind === 'valid' && selector.matches(host.metadata.labels ?? {});
    const reason = matches ? skipReason(host, machine) : 'label-selector-does-not-match';
    if (reason !== undefined) skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
    return reason === undefined;
  });
  const host = pick(available);
  return host ? { kind: 'chosen', host } : { kind: 'none', reason: reasonString(skipped, unused.length) };
}
