/**
 * The few DER (ASN.1 distinguished encoding) building blocks a self-signed X.509 certificate
 * needs. Encoding only; parsing is left to node:crypto's X509Certificate.
 */

function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One tag-length-value element. */
export function tlv(tag: number, ...content: readonly Uint8Array[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), encodeLength(body.length), body]);
}

export function sequence(...elements: readonly Uint8Array[]): Buffer {
  return tlv(0x30, ...elements);
}

export function set(...elements: readonly Uint8Array[]): Buffer {
  return tlv(0x31, ...elements);
}

/** A context-specific, constructed (explicit) tag such as `[0]` or `[3]`. */
export function explicit(tagNumber: number, element: Uint8Array): Buffer {
  return tlv(0xa0 | tagNumber, element);
}

function evenHex(value: number): string {
  const hex = value.toString(16);
  return hex.length % 2 === 0 ? hex : `0${hex}`;
}

/** An unsigned big-endian integer, minimally encoded (a leading zero keeps it positive). */
export function unsignedInteger(value: Uint8Array | number): Buffer {
  let bytes = typeof value === 'number' ? Buffer.from(evenHex(value), 'hex') : Buffer.from(value);
  while (bytes.length > 1 && bytes[0] === 0) bytes = bytes.subarray(1);
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function objectIdentifier(dotted: string): Buffer {
  const arcs = dotted.split('.').map((arc) => Number.parseInt(arc, 10));
  const [first = 0, second = 0, ...rest] = arcs;
  const bytes: number[] = [];
  for (const arc of [40 * first + second, ...rest]) {
    const groups: number[] = [arc % 128];
    for (let high = Math.floor(arc / 128); high > 0; high = Math.floor(high / 128))
      groups.unshift(0x80 | (high % 128));
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

export function utf8String(text: string): Buffer {
  return tlv(0x0c, Buffer.from(text, 'utf8'));
}

export function booleanTrue(): Buffer {
  return tlv(0x01, Buffer.from([0xff]));
}

export function octetString(content: Uint8Array): Buffer {
  return tlv(0x04, content);
}

/** A BIT STRING whose content is whole bytes (no unused bits). */
export function bitString(content: Uint8Array): Buffer {
  return tlv(0x03, Buffer.from([0]), content);
}

/** UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5). */
export function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-T:]/g, '');
  const year = date.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(`${digits.slice(2)}Z`, 'ascii'));
  return tlv(0x18, Buffer.from(`${digits}Z`, 'ascii'));
}
