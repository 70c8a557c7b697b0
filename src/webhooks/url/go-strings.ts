// Go strings in JavaScript, and Go's strconv.Quote (as of go1.26.8).
//
// Go strings are byte sequences (by convention UTF-8, but any bytes are allowed) and net/url works
// on bytes. JavaScript strings are UTF-16. The port therefore works on "byte strings": ordinary JS
// strings in which every UTF-16 code unit holds one byte (0-255), so that indexOf, lastIndexOf,
// slice, startsWith and === behave exactly like Go's byte-wise string operations.
import { GO_ISPRINT_RANGES } from './go-isprint-table.js';

/** A JS string whose code units are bytes 0-255 (a Go string). */
export type ByteString = string;

/**
 * The UTF-8 bytes of a JS string. Lone surrogates become U+FFFD (EF BF BD), which is what a Go
 * API server sees: encoding/json decodes both a "\ud800" escape and invalid UTF-8 to U+FFFD.
 */
export function utf8ByteString(text: string): ByteString {
  return Buffer.from(text, 'utf8').toString('latin1');
}

export function bytesToByteString(bytes: Uint8Array): ByteString {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function byteStringToBytes(bytes: ByteString): Uint8Array {
  return Uint8Array.from(Buffer.from(bytes, 'latin1'));
}

/** Decodes bytes as UTF-8; invalid sequences become U+FFFD (lossy, for display only). */
export function byteStringToText(bytes: ByteString): string {
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

const RUNE_ERROR = 0xfffd;

function continuation(s: ByteString, i: number): number {
  const b = s.charCodeAt(i);
  return b >= 0x80 && b <= 0xbf ? b & 0x3f : -1;
}

/** The accepted range of the second byte of a multi-byte sequence led by `lead` (as Go's utf8). */
function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Go's utf8.DecodeRuneInString for the rune at s[i]: [rune, width]. Invalid UTF-8 (bad lead byte,
 * truncated sequence, overlong form, surrogate half, > U+10FFFF) yields [U+FFFD, 1].
 */
export function decodeRune(s: ByteString, i: number): [number, number] {
  const lead = s.charCodeAt(i);
  if (lead < 0x80) return [lead, 1];
  const width = sequenceLength(lead);
  if (width === 0 || i + width > s.length) return [RUNE_ERROR, 1];
  const [low, high] = secondByteRange(lead);
  const second = s.charCodeAt(i + 1);
  if (second < low || second > high) return [RUNE_ERROR, 1];
  let rune = lead & (0xff >> (width + 1));
  for (let k = 1; k < width; k++) {
    const bits = continuation(s, i + k);
    if (bits < 0) return [RUNE_ERROR, 1];
    rune = (rune << 6) | bits;
  }
  return [rune, width];
}

let printRanges: Uint32Array | undefined;

function decodedPrintRanges(): Uint32Array {
  if (printRanges) return printRanges;
  const numbers = GO_ISPRINT_RANGES.split(',')
    .filter((n) => n !== '')
    .map((n) => parseInt(n, 36));
  const ranges = new Uint32Array(numbers.length);
  let previousEnd = -1;
  for (let k = 0; k + 1 < numbers.length; k += 2) {
    const first = previousEnd + 1 + (numbers[k] ?? 0);
    previousEnd = first + (numbers[k + 1] ?? 0);
    ranges[k] = first;
    ranges[k + 1] = previousEnd;
  }
  printRanges = ranges;
  return ranges;
}

/** Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and U+0020 (Unicode 15.0). */
export function goIsPrint(rune: number): boolean {
  const ranges = decodedPrintRanges();
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rune < (ranges[2 * mid] ?? 0)) hi = mid - 1;
    else if (rune > (ranges[2 * mid + 1] ?? 0)) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Go's code point ranges for strconv.IsPrint, decoded (for tests that compare them with Go). */
export function goIsPrintRanges(): [number, number][] {
  const ranges = decodedPrintRanges();
  const list: [number, number][] = [];
  for (let k = 0; k + 1 < ranges.length; k += 2) list.push([ranges[k] ?? 0, ranges[k + 1] ?? 0]);
  return list;
}

const NAMED_ESCAPES: ReadonlyMap<number, string> = new Map([
  [0x07, '\\a'],
  [0x08, '\\b'],
  [0x0c, '\\f'],
  [0x0a, '\\n'],
  [0x0d, '\\r'],
  [0x09, '\\t'],
  [0x0b, '\\v'],
]);

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

function escapedRune(rune: number): string {
  if (rune === 0x22 || rune === 0x5c) return '\\' + String.fromCharCode(rune);
  if (goIsPrint(rune)) return String.fromCodePoint(rune);
  const named = NAMED_ESCAPES.get(rune);
  if (named !== undefined) return named;
  if (rune < 0x20 || rune === 0x7f) return '\\x' + hex(rune, 2);
  if (rune < 0x10000) return '\\u' + hex(rune, 4);
  return '\\U' + hex(rune, 8);
}

/**
 * Go's strconv.Quote (also what fmt's %q prints for a string): a double-quoted Go string literal.
 * Printable runes stay as they are, the rest become \a..\v, \xNN (ASCII controls and bytes of
 * invalid UTF-8), \uNNNN or \UNNNNNNNN, with lower-case hex digits.
 */
export function goQuote(s: ByteString): string {
  let out = '"';
  for (let i = 0; i < s.length;) {
    const [rune, width] = decodeRune(s, i);
    out += width === 1 && rune === RUNE_ERROR ? '\\x' + hex(s.charCodeAt(i), 2) : escapedRune(rune);
    i += width;
  }
  return out + '"';
}
