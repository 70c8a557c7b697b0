/**
 * Redaction of secrets from everything the rescue session returns. Given secrets (the registry
 * token and whatever the caller names) are replaced exactly, byte for byte; credentials that
 * merely look like one (`Bearer …`, `Basic …`, `scheme://user:password@`) are replaced on a
 * best-effort basis, as the command's events must not carry them either.
 */
export const redactionMark = '[REDACTED]';

const credentialPatterns: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)(\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1$2${redactionMark}`],
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi, `$1${redactionMark}@`],
];

export function redactText(text: string, secrets: readonly string[]): string {
  return redactWindow(Buffer.from(text, 'utf8'), 0, secrets);
}

/** How many bytes before a window's start must be read so that `redactWindow` sees every secret whole. */
export function redactionLead(secrets: readonly string[]): number {
  return Math.max(0, ...usable(secrets).map((secret) => secret.length - 1));
}

/**
 * Decodes `window.subarray(keepFrom)` as UTF-8 with every secret occurrence replaced. The bytes
 * before `keepFrom` (at least `redactionLead` of them, when the file has them) are only there to
 * recognise secrets that straddle the start; they are never returned, not even in part.
 */
export function redactWindow(window: Buffer, keepFrom: number, secrets: readonly string[]): string {
  const pieces: string[] = [];
  let position = keepFrom;
  for (const [start, end] of occurrences(window, usable(secrets))) {
    if (end <= position) continue;
    if (start > position) pieces.push(decode(window.subarray(position, start), pieces.length === 0));
    pieces.push(redactionMark);
    position = end;
  }
  pieces.push(decode(window.subarray(position), pieces.length === 0));
  return credentialPatterns.reduce(
    (text, [pattern, replacement]) => text.replace(pattern, replacement),
    pieces.join(''),
  );
}

function usable(secrets: readonly string[]): Buffer[] {
  return [...new Set(secrets)].filter((secret) => secret !== '').map((secret) => Buffer.from(secret, 'utf8'));
}

/** Sorted, merged [start, end) ranges where any secret occurs. */
function occurrences(window: Buffer, secrets: readonly Buffer[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const secret of secrets) {
    for (let at = window.indexOf(secret); at >= 0; at = window.indexOf(secret, at + 1)) {
      ranges.push([at, at + secret.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

/** The first piece may start inside a multi-byte character cut by the window: drop that part. */
function decode(bytes: Buffer, first: boolean): string {
  let skip = 0;
  if (first) while (skip < 3 && skip < bytes.length && ((bytes[skip] ?? 0) & 0xc0) === 0x80) skip++;
  return bytes.subarray(skip).toString('utf8');
}
