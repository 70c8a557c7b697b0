import { isIPv6 } from 'node:net';
import type { CloudServer } from '../ports/cloud-servers.js';
import type { MachineAddress } from './machine.js';

/**
 * CAPH's `status.addresses`: public IPv4 first, then the public IPv6 network's base address + 1
 * (Hetzner reports the /64; the server answers on `::1` of it), then the private network
 * addresses as InternalIP. The rescue connection uses the first.
 */
export function serverAddresses(server: CloudServer): MachineAddress[] {
  const addresses: MachineAddress[] = [];
  if (server.publicIPv4) addresses.push({ type: 'ExternalIP', address: server.publicIPv4 });
  const ipv6 = server.publicIPv6Network && firstHostOf(server.publicIPv6Network);
  if (ipv6) addresses.push({ type: 'ExternalIP', address: ipv6 });
  for (const net of server.privateNets ?? []) addresses.push({ type: 'InternalIP', address: net.ip });
  return addresses;
}

/** `2001:db8:1:2::/64` → `2001:db8:1:2::1`; undefined for anything that is not an IPv6 network. */
export function firstHostOf(network: string): string | undefined {
  const base = network.split('/')[0] ?? '';
  if (!isIPv6(base) || base.includes('.')) return undefined;
  const value = parseIPv6(base) + 1n;
  return formatIPv6(value & ((1n << 128n) - 1n));
}

function parseIPv6(text: string): bigint {
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].reduce((sum, group) => (sum << 16n) | BigInt(`0x${group}`), 0n);
}

/** RFC 5952: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
function formatIPv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, index) =>
    Number((value >> BigInt(16 * (7 - index))) & 0xffffn).toString(16),
  );
  const run = longestZeroRun(groups);
  if (run.length < 2) return groups.join(':');
  const before = groups.slice(0, run.start).join(':');
  const after = groups.slice(run.start + run.length).join(':');
  return `${before}::${after}`;
}

function longestZeroRun(groups: readonly string[]): { start: number; length: number } {
  let best = { start: 0, length: 0 };
  let start = -1;
  groups.forEach((group, index) => {
    if (group !== '0') {
      start = -1;
      return;
    }
    if (start < 0) start = index;
    if (index - start + 1 > best.length) best = { start, length: index - start + 1 };
  });
  return best;
}
