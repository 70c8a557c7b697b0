// A port of Go's url.ParseRequestURI, as of go1.26.8 (net/url.parse with viaRequest=true), proven
// equal to Go by parse-request-uri.differential.test.ts, which runs Go itself (tools/gourl-oracle).
//
// Go works on the bytes of the string. parseRequestURI(text) parses the UTF-8 encoding of `text`;
// lone surrogates become U+FFFD first, as they would in a Go API server decoding JSON. Error
// messages are Go's err.Error() exactly, including strconv.Quote's escaping of the input. In the
// text result, fields that hold invalid UTF-8 (a path with %ff) decode lossily with U+FFFD;
// parseRequestURIBytes takes and returns raw bytes for byte-exact work.
import { parseAuthority } from './authority.js';
import {
  byteStringToBytes,
  byteStringToText,
  bytesToByteString,
  goQuote,
  utf8ByteString,
  type ByteString,
} from './go-strings.js';
import { escapedPath, requestUri, setPath, type GoUrl } from './go-url.js';
import { UrlFailure, type ParseRequestUriErrorKind } from './url-failure.js';

export type { ParseRequestUriErrorKind } from './url-failure.js';

export interface RequestUriUser<S> {
  username: S;
  /** '' when no password was given (passwordSet false). */
  password: S;
  passwordSet: boolean;
}

/** Go's url.URL as ParseRequestURI fills it (Fragment is always empty), plus two derived values. */
export interface RequestUri<S> {
  /** Lower-cased; '' for "/path" and "*". */
  scheme: S;
  /** Everything after "scheme:" up to '?' when that does not start with '/', e.g. "mailto:x". */
  opaque: S;
  /** Absent when there is no '@' in the authority. */
  user?: RequestUriUser<S>;
  /** host[:port], unescaped; IPv6 in brackets, with its zone as "%zone". */
  host: S;
  /** The unescaped path. */
  path: S;
  /** The path as written when that differs from escaping `path` the default way, else ''. */
  rawPath: S;
  /** The input ended in a single '?' with no query after it. */
  forceQuery: boolean;
  /** After the first '?', not unescaped; '#' is not special here. */
  rawQuery: S;
  /** "scheme:/path": a scheme and a path but no "//" authority. */
  omitHost: boolean;
  /** Go's URL.EscapedPath(). */
  escapedPath: S;
  /** Go's URL.RequestURI(): the path?query an HTTP client would send. */
  requestUri: S;
}

export type ParsedRequestUri = RequestUri<string>;
export type ParsedRequestUriBytes = RequestUri<Uint8Array>;

export interface ParseRequestUriError {
  kind: ParseRequestUriErrorKind;
  /** Go's err.Error(), e.g. `parse "not-a-valid-url": invalid URI for request`. */
  message: string;
}

export interface ParseRequestUriOptions {
  /**
   * Go 1.26's strict rule for http/https hosts: the first colon starts the port, so "a:1:2" is
   * rejected. Default false: the last colon, as with GODEBUG urlstrictcolons=0, the default for
   * programs whose go.mod declares go < 1.26 (CAPH's does) and the rule of older Go releases.
   */
  strictColons?: boolean;
}

function emptyUrl(): GoUrl {
  return {
    scheme: '',
    opaque: '',
    host: '',
    path: '',
    rawPath: '',
    forceQuery: false,
    rawQuery: '',
    omitHost: false,
  };
}

/** Go's getScheme: [scheme, rest], or a failure for a leading ':'. */
function getScheme(raw: ByteString): [ByteString, ByteString] | UrlFailure {
  const match = /^[A-Za-z][A-Za-z0-9+\-.]*:/.exec(raw);
  if (match) return [match[0].slice(0, -1), raw.slice(match[0].length)];
  if (raw.startsWith(':')) return new UrlFailure('missing-protocol-scheme', 'missing protocol scheme');
  return ['', raw];
}

/** Splits off the query: a lone trailing '?' sets ForceQuery, otherwise the first '?' starts it. */
function splitQuery(url: GoUrl, rest: ByteString): ByteString {
  const question = rest.indexOf('?');
  if (question < 0) return rest;
  if (question === rest.length - 1) {
    url.forceQuery = true;
    return rest.slice(0, -1);
  }
  url.rawQuery = rest.slice(question + 1);
  return rest.slice(0, question);
}

/** "scheme://authority/path" or "scheme:/path": the authority if any, then the path. */
function parseHierarchical(url: GoUrl, rest: ByteString, strictColons: boolean): UrlFailure | undefined {
  let path = rest;
  if (url.scheme !== '' && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const authority = parseAuthority(url.scheme, rest.slice(2, slash < 0 ? undefined : slash), strictColons);
    if (authority instanceof UrlFailure) return authority;
    if (authority.user) url.user = authority.user;
    url.host = authority.host;
    path = slash < 0 ? '' : rest.slice(slash);
  } else if (url.scheme !== '') {
    url.omitHost = true;
  }
  return setPath(url, path);
}

/** Go's stringContainsCTLByte: a byte < 0x20 or 0x7f (DEL). */
function containsControlByte(raw: ByteString): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function parse(raw: ByteString, strictColons: boolean): GoUrl | UrlFailure {
  if (containsControlByte(raw)) {
    return new UrlFailure('invalid-control-character', 'net/url: invalid control character in URL');
  }
  if (raw === '') return new UrlFailure('empty-url', 'empty url');
  const url = emptyUrl();
  if (raw === '*') return { ...url, path: '*' };
  const scheme = getScheme(raw);
  if (scheme instanceof UrlFailure) return scheme;
  url.scheme = scheme[0].toLowerCase();
  const rest = splitQuery(url, scheme[1]);
  if (!rest.startsWith('/')) {
    if (url.scheme === '') return new UrlFailure('invalid-uri-for-request', 'invalid URI for request');
    url.opaque = rest; // a rootless path (RFC 3986) counts as opaque: "oci:foo" is valid
    return url;
  }
  return parseHierarchical(url, rest, strictColons) ?? url;
}

function convert<S>(url: GoUrl, to: (bytes: ByteString) => S): RequestUri<S> {
  const result: RequestUri<S> = {
    scheme: to(url.scheme),
    opaque: to(url.opaque),
    host: to(url.host),
    path: to(url.path),
    rawPath: to(url.rawPath),
    forceQuery: url.forceQuery,
    rawQuery: to(url.rawQuery),
    omitHost: url.omitHost,
    escapedPath: to(escapedPath(url)),
    requestUri: to(requestUri(url)),
  };
  if (url.user) {
    const { username, password, passwordSet } = url.user;
    result.user = { username: to(username), password: to(password), passwordSet };
  }
  return result;
}

function parseToResult<S>(
  raw: ByteString,
  options: ParseRequestUriOptions,
  to: (bytes: ByteString) => S,
): RequestUri<S> | ParseRequestUriError {
  const url = parse(raw, options.strictColons ?? false);
  if (url instanceof UrlFailure) return { kind: url.kind, message: `parse ${goQuote(raw)}: ${url.text}` };
  return convert(url, to);
}

/**
 * Go's url.ParseRequestURI(raw): the parsed URL, or the error Go returns (never throws). Tell
 * them apart with `'kind' in result`.
 */
export function parseRequestURI(
  raw: string,
  options: ParseRequestUriOptions = {},
): ParsedRequestUri | ParseRequestUriError {
  return parseToResult(utf8ByteString(raw), options, byteStringToText);
}

/** parseRequestURI on raw bytes (any bytes, like a Go string), with byte fields in the result. */
export function parseRequestURIBytes(
  raw: Uint8Array,
  options: ParseRequestUriOptions = {},
): ParsedRequestUriBytes | ParseRequestUriError {
  return parseToResult(bytesToByteString(raw), options, byteStringToBytes);
}

export function isParseRequestUriError(
  result: RequestUri<unknown> | ParseRequestUriError,
): result is ParseRequestUriError {
  return 'kind' in result;
}
