// The authority part of a URL, "//userinfo@host:port", as Go's parseAuthority and parseHost
// (go1.26.8) read it.
import { unescape } from './escape.js';
import type { ByteString } from './go-strings.js';
import { parseAddr } from './netip.js';
import { invalidPortError, UrlFailure } from './url-failure.js';

export interface GoUserinfo {
  username: ByteString;
  password: ByteString;
  passwordSet: boolean;
}

export interface Authority {
  user?: GoUserinfo;
  host: ByteString;
}

/** Letters, digits and RFC 3986's unreserved and sub-delims, ':' and '%'; '@' too (go.dev/issue/3439). */
const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

/** Go's validOptionalPort: empty, or ':' followed by digits only (none at all is fine). */
function validOptionalPort(port: ByteString): boolean {
  return /^(?::[0-9]*)?$/.test(port);
}

/** Go's unescape of an IP literal: a %25 starts the zone, which may escape more than the address. */
function unescapeIpLiteral(hostname: ByteString): ByteString | UrlFailure {
  const zoneIndex = hostname.indexOf('%25');
  if (zoneIndex < 0) return unescape(hostname, 'host');
  const address = unescape(hostname.slice(0, zoneIndex), 'host');
  if (address instanceof UrlFailure) return address;
  const zone = unescape(hostname.slice(zoneIndex), 'zone');
  if (zone instanceof UrlFailure) return zone;
  return address + zone;
}

/** "[ipv6%25zone]:port": only IPv6 addresses (IPv4-mapped ones included) may stand in brackets. */
function parseIpLiteral(host: ByteString): ByteString | UrlFailure {
  const close = host.lastIndexOf(']');
  if (close < 0) return new UrlFailure('missing-bracket-in-host', "missing ']' in host");
  // Go also unescapes the port part, a no-op once it is known to be ':' and digits.
  const colonPort = host.slice(close + 1);
  if (!validOptionalPort(colonPort)) return invalidPortError(colonPort);
  const hostname = unescapeIpLiteral(host.slice(1, close));
  if (hostname instanceof UrlFailure) return hostname;
  const addr = parseAddr(hostname);
  if ('error' in addr) return new UrlFailure('invalid-host', `invalid host: ${addr.error}`);
  if (addr.family === 'ipv4') return new UrlFailure('invalid-ip-literal', 'invalid IP-literal');
  return `[${hostname}]${colonPort}`;
}

/**
 * Which colon starts the port. Go 1.26 takes the first colon for http and https (so "a:1:2" has
 * port ":1:2"), unless GODEBUG urlstrictcolons=0, which is the default for programs whose go.mod
 * declares a Go version before 1.26; then, as for every other scheme, the last colon.
 */
function portColon(scheme: ByteString, host: ByteString, strictColons: boolean): number {
  const first = host.indexOf(':');
  if (first < 0) return first;
  return strictColons && (scheme === 'http' || scheme === 'https') ? first : host.lastIndexOf(':');
}

/** Go's parseHost: host[:port] (without userinfo), unescaped. */
export function parseHost(
  scheme: ByteString,
  host: ByteString,
  strictColons: boolean,
): ByteString | UrlFailure {
  const open = host.lastIndexOf('[');
  if (open > 0) return new UrlFailure('invalid-ip-literal', 'invalid IP-literal');
  if (open === 0) return parseIpLiteral(host);
  const colon = portColon(scheme, host, strictColons);
  if (colon >= 0 && !validOptionalPort(host.slice(colon))) return invalidPortError(host.slice(colon));
  return unescape(host, 'host');
}

function parseUserinfo(userinfo: ByteString): GoUserinfo | UrlFailure {
  if (!USERINFO.test(userinfo)) return new UrlFailure('invalid-userinfo', 'net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  const username = unescape(colon < 0 ? userinfo : userinfo.slice(0, colon), 'userPassword');
  if (username instanceof UrlFailure) return username;
  if (colon < 0) return { username, password: '', passwordSet: false };
  const password = unescape(userinfo.slice(colon + 1), 'userPassword');
  if (password instanceof UrlFailure) return password;
  return { username, password, passwordSet: true };
}

/** Go's parseAuthority: the host (checked first) after the last '@', the userinfo before it. */
export function parseAuthority(
  scheme: ByteString,
  authority: ByteString,
  strictColons: boolean,
): Authority | UrlFailure {
  const at = authority.lastIndexOf('@');
  const host = parseHost(scheme, at < 0 ? authority : authority.slice(at + 1), strictColons);
  if (host instanceof UrlFailure) return host;
  if (at < 0) return { host };
  const user = parseUserinfo(authority.slice(0, at));
  if (user instanceof UrlFailure) return user;
  return { user, host };
}
