/** IPv4 addresses and CIDR ranges as the Networks API takes them (`10.0.0.0/16`). */
export interface Cidr {
  /** The first address, as an unsigned 32-bit number. */
  readonly base: number;
  readonly prefix: number;
}

const octet = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ipPattern = new RegExp(`^${octet}\\.${octet}\\.${octet}\\.${octet}$`);

export function parseIp(text: string): number | undefined {
  if (!ipPattern.test(text)) return undefined;
  return text.split('.').reduce((sum, part) => sum * 256 + Number(part), 0);
}

export function formatIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** A CIDR whose address is the first of its range (`10.0.1.0/24`, not `10.0.1.5/24`). */
export function parseCidr(text: string): Cidr | undefined {
  const [address = '', prefixText = '', extra] = text.split('/');
  const base = parseIp(address);
  const prefix = /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : -1;
  if (extra !== undefined || base === undefined || prefix < 0 || prefix > 32) return undefined;
  if (base % size({ base, prefix }) !== 0) return undefined;
  return { base, prefix };
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIp(cidr.base)}/${cidr.prefix}`;
}

export function size(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function lastIp(cidr: Cidr): number {
  return cidr.base + size(cidr) - 1;
}

export function containsIp(cidr: Cidr, ip: number): boolean {
  return ip >= cidr.base && ip <= lastIp(cidr);
}

export function containsRange(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && lastIp(inner) <= lastIp(outer);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= lastIp(b) && b.base <= lastIp(a);
}

const privateRanges = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map((text) => parseCidr(text));

/** RFC 1918: the only ranges a network may use (docs.hetzner.cloud, "Networks"). */
export function isPrivateRange(cidr: Cidr): boolean {
  return privateRanges.some((range) => range !== undefined && containsRange(range, cidr));
}
