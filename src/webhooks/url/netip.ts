// Go's net/netip.ParseAddr (go1.26.8), as far as url.ParseRequestURI needs it: since Go 1.26 a
// bracketed host must be an IPv6 address, checked with ParseAddr, whose error text ends up in the
// URL error. Only validity, the address family and the exact error text are reproduced.
import { goQuote, type ByteString } from './go-strings.js';

/** Why ParseAddr rejected its input: Go's parseAddrError without the input. */
interface AddrProblem {
  msg: string;
  at?: ByteString;
}

/** ParseAddr's verdict: the address family, or the error text Go prints. */
export type ParsedAddr = { family: 'ipv4' | 'ipv6' } | { error: string };

interface Ipv4State {
  value: number;
  digits: number;
  dots: number;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function ipv4Digit(state: Ipv4State, c: number): AddrProblem | undefined {
  if (state.digits === 1 && state.value === 0) return { msg: 'IPv4 field has octet with leading zero' };
  state.value = state.value * 10 + c - 0x30;
  state.digits++;
  return state.value > 255 ? { msg: 'IPv4 field has value >255' } : undefined;
}

function ipv4Dot(state: Ipv4State, s: ByteString, i: number): AddrProblem | undefined {
  if (i === 0 || i === s.length - 1 || s[i - 1] === '.') {
    return { msg: 'IPv4 field must have at least one digit', at: s.slice(i) };
  }
  if (state.dots === 3) return { msg: 'IPv4 address too long' };
  state.dots++;
  state.value = 0;
  state.digits = 0;
  return undefined;
}

/** Go's parseIPv4Fields: dotted decimal, four fields 0-255 without leading zeros. */
function ipv4Problem(s: ByteString): AddrProblem | undefined {
  const state: Ipv4State = { value: 0, digits: 0, dots: 0 };
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let problem: AddrProblem | undefined;
    if (isDigit(c)) problem = ipv4Digit(state, c);
    else if (c === 0x2e) problem = ipv4Dot(state, s, i);
    else problem = { msg: 'unexpected character', at: s.slice(i) };
    if (problem) return problem;
  }
  return state.dots < 3 ? { msg: 'IPv4 address too short' } : undefined;
}

function hexDigitRun(s: ByteString): number {
  const match = /^[0-9a-fA-F]*/.exec(s);
  return match ? match[0].length : 0;
}

interface Ipv6State {
  rest: ByteString; // what is left to parse
  bytes: number; // address bytes parsed so far (Go's i)
  ellipsis: number; // the byte position of '::', or -1
}

/** An embedded IPv4 address in place of the last 32 bits. */
function embeddedIpv4(state: Ipv6State): AddrProblem | undefined {
  if (state.ellipsis < 0 && state.bytes !== 12) {
    return { msg: 'embedded IPv4 address must replace the final 2 fields of the address', at: state.rest };
  }
  if (state.bytes + 4 > 16) {
    return { msg: 'too many hex fields to fit an embedded IPv4 at the end of the address', at: state.rest };
  }
  const problem = ipv4Problem(state.rest);
  if (problem) return problem;
  state.rest = '';
  state.bytes += 4;
  return undefined;
}

/** The separator after a group: ':' or '::'. Returns true when parsing stops at the end. */
function ipv6Separator(state: Ipv6State): AddrProblem | boolean {
  const s = state.rest;
  if (s[0] !== ':') return { msg: 'unexpected character, want colon', at: s };
  if (s.length === 1) return { msg: 'colon must be followed by more characters', at: s };
  state.rest = s.slice(1);
  if (state.rest[0] !== ':') return false;
  if (state.ellipsis >= 0) return { msg: 'multiple :: in address', at: state.rest };
  state.ellipsis = state.bytes;
  state.rest = state.rest.slice(1);
  return state.rest === '';
}

/** One 16-bit group and what follows it. Returns true when parsing stops. */
function ipv6Group(state: Ipv6State): AddrProblem | boolean {
  const s = state.rest;
  const digits = hexDigitRun(s);
  // Go fails at the fifth digit; with at most four digits the >=2^16 check cannot fire.
  if (digits > 4) return { msg: 'each group must have 4 or less digits', at: s };
  if (digits === 0) return { msg: 'each colon-separated field must have at least one digit', at: s };
  if (s[digits] === '.') return embeddedIpv4(state) ?? true;
  state.bytes += 2;
  state.rest = s.slice(digits);
  if (state.rest === '') return true;
  return ipv6Separator(state);
}

function ipv6Groups(state: Ipv6State): AddrProblem | undefined {
  while (state.bytes < 16) {
    const step = ipv6Group(state);
    if (typeof step !== 'boolean') return step;
    if (step) break;
  }
  if (state.rest !== '') return { msg: 'trailing garbage after address', at: state.rest };
  if (state.bytes < 16 && state.ellipsis < 0) return { msg: 'address string too short' };
  if (state.bytes === 16 && state.ellipsis >= 0) {
    return { msg: 'the :: must expand to at least one field of zeros' };
  }
  return undefined;
}

/** Go's parseIPv6: hex groups, at most one '::', an optional IPv4 tail and an optional %zone. */
function ipv6Problem(input: ByteString): AddrProblem | undefined {
  const percent = input.indexOf('%');
  const address = percent < 0 ? input : input.slice(0, percent);
  if (percent >= 0 && percent === input.length - 1) return { msg: 'zone must be a non-empty string' };
  const state: Ipv6State = { rest: address, bytes: 0, ellipsis: -1 };
  if (address.startsWith('::')) {
    state.ellipsis = 0;
    state.rest = address.slice(2);
    if (state.rest === '') return undefined;
  }
  return ipv6Groups(state);
}

function formatProblem(input: ByteString, problem: AddrProblem): string {
  const text = `ParseAddr(${goQuote(input)}): ${problem.msg}`;
  return problem.at ? `${text} (at ${goQuote(problem.at)})` : text;
}

/** Go's netip.ParseAddr: the first '.', ':' or '%' decides between IPv4, IPv6 and an error. */
export function parseAddr(input: ByteString): ParsedAddr {
  const first = /[.:%]/.exec(input)?.[0];
  let problem: AddrProblem | undefined;
  if (first === '.') problem = ipv4Problem(input);
  else if (first === ':') problem = ipv6Problem(input);
  else problem = { msg: first === '%' ? 'missing IPv6 address' : 'unable to parse IP' };
  if (problem) return { error: formatProblem(input, problem) };
  return { family: first === '.' ? 'ipv4' : 'ipv6' };
}
