/** Byte-bounded cuts of UTF-8 text that never split a character. */

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest end of `text` of at most `maxBytes` UTF-8 bytes. */
export function lastBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let start = bytes.length - Math.max(0, maxBytes);
  // Skip continuation bytes (10xxxxxx) so the cut lands on a character boundary.
  while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start += 1;
  return bytes.subarray(start).toString('utf8');
}

/** The longest start of `text` of at most `maxBytes` UTF-8 bytes, marked with `…` when cut. */
export function firstBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = Math.max(0, maxBytes - byteLength('…'));
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return `${bytes.subarray(0, end).toString('utf8')}…`;
}

/** Every exact occurrence of each non-empty secret replaced (defence in depth: ports redact too). */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return secrets
    .filter((secret) => secret !== '')
    .reduce((out, secret) => out.split(secret).join('[REDACTED]'), text);
}
