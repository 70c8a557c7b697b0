import { CloudErrorResponse } from './cloud-error-response.js';
import { requiredString, type JsonObject } from './cloud-input.js';
import {
  containsIp,
  containsRange,
  formatCidr,
  isPrivateRange,
  overlaps,
  parseCidr,
  parseIp,
  type Cidr,
} from './ipv4-cidr.js';
import {
  cidrOf,
  gatewayOf,
  networkZones,
  type NetworkRecord,
  type RouteRecord,
  type SubnetRecord,
  type SubnetType,
} from './network-record.js';

/** A network's `ip_range`: RFC 1918, /8 to /24 (docs.hetzner.cloud, "Create a Network"). */
export function networkRange(body: JsonObject, field = 'ip_range'): string {
  const text = requiredString(body, field);
  const cidr = parseCidr(text);
  if (cidr === undefined || !isPrivateRange(cidr) || cidr.prefix > 24)
    throw CloudErrorResponse.invalidField(
      field,
      `${JSON.stringify(text.slice(0, 50))} must be a private (RFC 1918) CIDR range of size /8 to /24`,
    );
  return formatCidr(cidr);
}

/**
 * A subnet to add: type `cloud` (or its old name `server`), a network zone, and a range inside
 * the network that overlaps no other subnet or route; without `ip_range`, the first free /24.
 */
export function subnetInput(body: JsonObject, network: NetworkRecord, rangeRequired: boolean): SubnetRecord {
  const { type, zone } = typeAndZone(body);
  // A default route (0.0.0.0/0) overlaps everything and still leaves room for subnets.
  const taken = [
    ...network.subnets.map((s) => cidrOf(s.ipRange)),
    ...network.routes.map((r) => cidrOf(r.destination)).filter((cidr) => cidr.prefix > 0),
  ];
  const wanted = body.ip_range === undefined && !rangeRequired ? undefined : requiredString(body, 'ip_range');
  const cidr = wanted === undefined ? firstFree(cidrOf(network.ipRange), taken) : parseCidr(wanted);
  if (cidr === undefined || cidr.prefix > 30 || !containsRange(cidrOf(network.ipRange), cidr))
    throw CloudErrorResponse.invalidField(
      'ip_range',
      `must be a CIDR range of size /30 or larger inside ${network.ipRange}`,
    );
  if (taken.some((other) => overlaps(other, cidr)))
    throw CloudErrorResponse.invalidField(
      'ip_range',
      `${formatCidr(cidr)} overlaps another subnet or a route`,
    );
  return { type, networkZone: zone, ipRange: formatCidr(cidr) };
}

function typeAndZone(body: JsonObject): { type: SubnetType; zone: string } {
  const type = requiredString(body, 'type');
  if (type === 'vswitch')
    throw CloudErrorResponse.invalidField('type', 'vswitch subnets are not supported by this simulator');
  if (type !== 'cloud' && type !== 'server')
    throw CloudErrorResponse.invalidField('type', 'allowed: cloud, server, vswitch');
  const zone = requiredString(body, 'network_zone');
  if (!(networkZones as readonly string[]).includes(zone))
    throw CloudErrorResponse.invalidField('network_zone', `allowed: ${networkZones.join(', ')}`);
  return { type, zone };
}

function firstFree(range: Cidr, taken: readonly Cidr[]): Cidr | undefined {
  const prefix = Math.max(range.prefix, 24);
  const step = 2 ** (32 - prefix);
  for (let base = range.base; base < range.base + 2 ** (32 - range.prefix); base += step) {
    const candidate = { base, prefix };
    if (!taken.some((other) => overlaps(other, candidate))) return candidate;
  }
  return undefined;
}

/**
 * A route: a private (or default) destination that overlaps no subnet, and a gateway inside the
 * network that is not the network's own gateway.
 */
export function routeInput(body: JsonObject, network: NetworkRecord): RouteRecord {
  const destinationText = requiredString(body, 'destination');
  const destination = parseCidr(destinationText);
  if (destination === undefined || !(isPrivateRange(destination) || destination.prefix === 0))
    throw CloudErrorResponse.invalidField(
      'destination',
      'must be a private (RFC 1918) CIDR range or 0.0.0.0/0',
    );
  if (network.subnets.some((s) => overlaps(cidrOf(s.ipRange), destination)))
    throw CloudErrorResponse.invalidField('destination', 'overlaps a subnet');
  const gatewayText = requiredString(body, 'gateway');
  const gateway = parseIp(gatewayText);
  if (
    gateway === undefined ||
    !containsIp(cidrOf(network.ipRange), gateway) ||
    gateway === gatewayOf(network)
  )
    throw CloudErrorResponse.invalidField(
      'gateway',
      `must be an IP inside ${network.ipRange} other than the network gateway`,
    );
  return { destination: formatCidr(destination), gateway: gatewayText };
}
