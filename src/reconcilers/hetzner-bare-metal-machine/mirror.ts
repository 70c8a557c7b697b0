import { BlockList, isIP } from 'node:net';
import { HetznerBareMetalMachineConditions, ReadyCondition } from '../../../api/conditions/index.js';
import { HostErrorType, type Condition, type MachineAddress } from '../../../api/v1beta1/index.js';
import { observe, type Observation } from './conditions.js';
import {
  HROBOT_PROVIDER_ID_ANNOTATION,
  type BareMetalHostObject,
  type HetznerClusterObject,
} from './types.js';

/** CAPH's FailureMessageMaintenanceMode. */
export const MAINTENANCE_MESSAGE = 'host machine in maintenance mode';

/**
 * CAPH's generateProviderID: `hcloud://bm-<serverID>` (the Syself CCM's form), or
 * `hrobot://<serverID>` (the hcloud CCM's) when the HetznerCluster's annotation is "true" in any case.
 */
export function providerIdFor(hetznerCluster: HetznerClusterObject, serverID: number): string {
  const value = hetznerCluster.metadata.annotations?.[HROBOT_PROVIDER_ID_ANNOTATION]?.trim() ?? '';
  return value.toLowerCase() === 'true' ? `hrobot://${serverID}` : `hcloud://bm-${serverID}`;
}

export function isProvisioned(host: BareMetalHostObject): boolean {
  return host.spec.status?.provisioningState === 'provisioned';
}

/** CAPH's HasFatalError: a `fatal error` or `permanent error` gets the machine remediated. */
export function hasFatalError(host: BareMetalHostObject): boolean {
  const type = host.spec.status?.errorType;
  return type === HostErrorType.FatalError || type === HostErrorType.PermanentError;
}

/** Why the machine must be replaced (CAPH remediates for maintenance and fatal errors), if so. */
export function remediationReason(host: BareMetalHostObject): string | undefined {
  if (host.spec.maintenanceMode === true) return MAINTENANCE_MESSAGE;
  if (!hasFatalError(host)) return undefined;
  const message = host.spec.status?.errorMessage;
  return `host ${host.metadata.name ?? ''} has a ${host.spec.status?.errorType ?? ''}${message ? `: ${message}` : ''}`;
}

function mirroredNotReady(ready: Condition): Observation {
  const severity = ready.severity === 'Error' || ready.severity === 'Warning' ? ready.severity : 'Info';
  return observe.hostNotReady(ready.reason ?? '', severity, ready.message ?? '');
}

/**
 * CAPH mirrors the host's v1beta1 Ready condition into HostReady. A host that has no Ready
 * condition yet (or an Unknown one) is judged by its provisioning state, with CAPH's generic
 * host message: True once `provisioned`, else False/StillProvisioning.
 */
export function hostReadyObservation(host: BareMetalHostObject): Observation {
  const ready = host.spec.status?.conditions?.find(
    (condition) => condition.type === ReadyCondition.v1beta1.type,
  );
  if (ready?.status === 'True') return observe.hostReady();
  if (ready?.status === 'False') return mirroredNotReady(ready);
  return readyByState(host);
}

function readyByState(host: BareMetalHostObject): Observation {
  if (isProvisioned(host)) return observe.hostReady();
  const state = host.spec.status?.provisioningState ?? '';
  const message = `host (${host.metadata.name ?? ''}) is still provisioning - state "${state}"`;
  return observe.hostNotReady(
    HetznerBareMetalMachineConditions.HostReady.v1beta1.reasons.StillProvisioning,
    'Info',
    message,
  );
}

/** Go's net.IP.IsPrivate (RFC 1918, RFC 4193); what does not parse counts as internal too. */
function isInternal(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  const privateRanges = new BlockList();
  privateRanges.addSubnet('10.0.0.0', 8, 'ipv4');
  privateRanges.addSubnet('172.16.0.0', 12, 'ipv4');
  privateRanges.addSubnet('192.168.0.0', 16, 'ipv4');
  privateRanges.addSubnet('fc00::', 7, 'ipv6');
  return privateRanges.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** NIC IPs without their CIDR suffix, then the host's ipv4 and ipv6, each once. */
function ipsOf(host: BareMetalHostObject): string[] {
  const status = host.spec.status;
  const nicIps = (status?.hardwareDetails?.nics ?? []).map((nic) => (nic.ip ?? '').split('/')[0] ?? '');
  return [...new Set([...nicIps, status?.ipv4 ?? '', status?.ipv6 ?? ''].filter((ip) => ip !== ''))];
}

/**
 * CAPH's nodeAddresses: one address per NIC IP of the hardware details (CIDR suffix dropped,
 * ExternalIP when public, InternalIP when private), then Hostname and InternalDNS = the machine's
 * name. imageurl adds the host's `ipv4`/`ipv6` when no NIC lists them, so a host whose hardware
 * has not been read yet still shows its addresses. Undefined while the host knows none.
 */
/**
 * Whether two address lists say the same, field by field: the apiserver returns an object's keys
 * in its own order, so comparing JSON text saw a change on every reconcile (lastUpdated moved
 * each time: a write → watch → reconcile hot loop).
 */
export function sameAddresses(a: readonly MachineAddress[], b: readonly MachineAddress[]): boolean {
  return a.length === b.length && a.every((x, i) => x.type === b[i]?.type && x.address === b[i].address);
}

export function addressesOf(host: BareMetalHostObject, machineName: string): MachineAddress[] | undefined {
  const ips = ipsOf(host);
  if (!host.spec.status?.hardwareDetails && ips.length === 0) return undefined;
  return [
    ...ips.map((address): MachineAddress => ({
      type: isInternal(address) ? 'InternalIP' : 'ExternalIP',
      address,
    })),
    { type: 'Hostname', address: machineName },
    { type: 'InternalDNS', address: machineName },
  ];
}
