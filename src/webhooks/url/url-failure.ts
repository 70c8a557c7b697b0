// The errors Go's url.ParseRequestURI can return (go1.26.8), one kind per distinct error text.
import { goQuote, type ByteString } from './go-strings.js';

/**
 * One code per error text of Go's ParseRequestURI:
 * - `invalid-control-character`: `net/url: invalid control character in URL` (a byte < 0x20 or 0x7f)
 * - `empty-url`: `empty url`
 * - `missing-protocol-scheme`: `missing protocol scheme` (the input starts with ':')
 * - `invalid-uri-for-request`: `invalid URI for request` (neither a scheme nor a leading '/')
 * - `invalid-userinfo`: `net/url: invalid userinfo`
 * - `invalid-url-escape`: `invalid URL escape "%zz"` (in userinfo, host, zone or path)
 * - `invalid-character-in-host`: `invalid character " " in host name`
 * - `invalid-port`: `invalid port ":x" after host`
 * - `missing-bracket-in-host`: `missing ']' in host`
 * - `invalid-ip-literal`: `invalid IP-literal` ('[' not at the start, or an IPv4 address in brackets)
 * - `invalid-host`: `invalid host: ParseAddr("..."): ...` (brackets around something not IPv6)
 *
 * Go's `first path segment in URL cannot contain colon` is not among them: only url.Parse
 * (viaRequest=false) reaches that check, ParseRequestURI answers `invalid URI for request` first.
 */
export type ParseRequestUriErrorKind =
  | 'invalid-control-character'
  | 'empty-url'
  | 'missing-protocol-scheme'
  | 'invalid-uri-for-request'
  | 'invalid-userinfo'
  | 'invalid-url-escape'
  | 'invalid-character-in-host'
  | 'invalid-port'
  | 'missing-bracket-in-host'
  | 'invalid-ip-literal'
  | 'invalid-host';

/** An error inside the parser: its kind and the text of Go's inner error (without `parse "...": `). */
export class UrlFailure {
  constructor(
    readonly kind: ParseRequestUriErrorKind,
    readonly text: string,
  ) {}
}

/** Go's url.EscapeError. */
export function escapeError(escape: ByteString): UrlFailure {
  return new UrlFailure('invalid-url-escape', `invalid URL escape ${goQuote(escape)}`);
}

/** Go's url.InvalidHostError. */
export function invalidHostError(character: ByteString): UrlFailure {
  return new UrlFailure('invalid-character-in-host', `invalid character ${goQuote(character)} in host name`);
}

export function invalidPortError(colonPort: ByteString): UrlFailure {
  return new UrlFailure('invalid-port', `invalid port ${goQuote(colonPort)} after host`);
}
