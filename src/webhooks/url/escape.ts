// Percent-encoding as Go's net/url does it (go1.26.8): which bytes each URL part may hold
// unescaped, unescaping with the checks ParseRequestURI relies on, and escaping of paths.
import type { ByteString } from './go-strings.js';
import { escapeError, invalidHostError, type UrlFailure } from './url-failure.js';

/** The URL parts ParseRequestURI unescapes (Go's encodePath, encodeHost, encodeZone, encodeUserPassword). */
export type EncodeMode = 'path' | 'host' | 'zone' | 'userPassword';

function byteSet(chars: string): ReadonlySet<number> {
  const set = new Set<number>();
  for (let i = 0; i < chars.length; i++) set.add(chars.charCodeAt(i));
  return set;
}

const PERCENT = 0x25;
const UNRESERVED_MARKS = byteSet('-_.~');
const RESERVED = byteSet('$&+,/:;=?@');
/** Besides letters and digits, a host keeps RFC 3986's sub-delims, ':' (port), '[' ']' (IPv6), '<' '>' '"'. */
const HOST_EXTRA = byteSet(`!$&'()*+,;=:[]<>"`);
/** Left alone in an already-encoded path besides what escaping keeps (RFC 3986 pchar, '[' ']', '%'). */
const PATH_ENCODED_EXTRA = byteSet(`!$&'()*+,;=:@[]%`);
const UPPER_HEX = '0123456789ABCDEF';

function isAlphanumeric(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function reservedNeedsEscape(c: number, mode: EncodeMode): boolean {
  if (mode === 'path') return c === 0x3f; // '?' ends the path
  if (mode === 'userPassword') return '@/?:'.includes(String.fromCharCode(c));
  return true; // host and zone: the reserved bytes not in HOST_EXTRA ('/', '?', '@')
}

/** Go's shouldEscape: whether byte c must be percent-encoded in the given part of a URL. */
export function shouldEscape(c: number, mode: EncodeMode): boolean {
  if (isAlphanumeric(c)) return false;
  if ((mode === 'host' || mode === 'zone') && HOST_EXTRA.has(c)) return false;
  if (UNRESERVED_MARKS.has(c)) return false;
  if (RESERVED.has(c)) return reservedNeedsEscape(c, mode);
  return true;
}

export function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** The checks Go's unescape makes on one "%XY" at s[i]; undefined when it is acceptable. */
function checkEscape(s: ByteString, i: number, mode: EncodeMode): UrlFailure | undefined {
  if (i + 2 >= s.length || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) {
    return escapeError(s.slice(i, i + 3));
  }
  const triple = s.slice(i, i + 3);
  return escapeAllowed(triple, mode) ? undefined : escapeError(triple);
}

/** Whether a well-formed "%XY" may appear in the given part. */
function escapeAllowed(triple: ByteString, mode: EncodeMode): boolean {
  const value = parseInt(triple.slice(1), 16);
  // In a host only non-ASCII bytes may be escaped (RFC 3986), plus %25 (RFC 6874 zone separator).
  if (mode === 'host') return value >= 0x80 || triple === '%25';
  // A zone may escape only bytes a host may hold unescaped, and the space: so not %80-%FF.
  if (mode === 'zone') return triple === '%25' || value === 0x20 || !shouldEscape(value, 'host');
  return true;
}

/** Go's first unescape pass: the first bad escape, or (host, zone) the first disallowed ASCII byte. */
function firstUnescapeProblem(s: ByteString, mode: EncodeMode): UrlFailure | undefined {
  const checksBytes = mode === 'host' || mode === 'zone';
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    if (c === PERCENT) {
      const problem = checkEscape(s, i, mode);
      if (problem) return problem;
      i += 3;
      continue;
    }
    if (checksBytes && c < 0x80 && shouldEscape(c, mode)) return invalidHostError(s.charAt(i));
    i++;
  }
  return undefined;
}

function decodeEscapes(s: ByteString): ByteString {
  return s.replace(/%([0-9a-fA-F]{2})/g, (_, pair: string) => String.fromCharCode(parseInt(pair, 16)));
}

/**
 * Go's unescape for the modes ParseRequestURI uses ('+' stays '+' in all of them): the decoded
 * bytes, or the error Go returns.
 */
export function unescape(s: ByteString, mode: EncodeMode): ByteString | UrlFailure {
  const problem = firstUnescapeProblem(s, mode);
  if (problem) return problem;
  return s.includes('%') ? decodeEscapes(s) : s;
}

/** Go's escape(s, encodePath): every byte shouldEscape names becomes %XY (upper-case hex). */
export function escapePath(s: ByteString): ByteString {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += shouldEscape(c, 'path')
      ? '%' + (UPPER_HEX[c >> 4] ?? '') + (UPPER_HEX[c & 15] ?? '')
      : s.charAt(i);
  }
  return out;
}

/** Go's validEncoded(s, encodePath): s holds no byte that escaping a path would have encoded. */
export function validEncodedPath(s: ByteString): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!PATH_ENCODED_EXTRA.has(c) && shouldEscape(c, 'path')) return false;
  }
  return true;
}
