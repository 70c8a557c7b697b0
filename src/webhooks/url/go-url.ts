// Go's url.URL fields as bytes, and the path methods ParseRequestURI's result relies on (go1.26.8).
import type { GoUserinfo } from './authority.js';
import { escapePath, unescape, validEncodedPath } from './escape.js';
import type { ByteString } from './go-strings.js';
import { UrlFailure } from './url-failure.js';

/** The fields of Go's url.URL that ParseRequestURI can set (Fragment stays empty). */
export interface GoUrl {
  scheme: ByteString;
  opaque: ByteString;
  user?: GoUserinfo;
  host: ByteString;
  path: ByteString;
  rawPath: ByteString;
  forceQuery: boolean;
  rawQuery: ByteString;
  omitHost: boolean;
}

/** Go's URL.setPath: Path unescaped; RawPath only when the default escaping would differ. */
export function setPath(url: GoUrl, escaped: ByteString): UrlFailure | undefined {
  const path = unescape(escaped, 'path');
  if (path instanceof UrlFailure) return path;
  url.path = path;
  url.rawPath = escapePath(path) === escaped ? '' : escaped;
  return undefined;
}

/** Go's URL.EscapedPath: RawPath when it is a valid encoding of Path, else Path escaped ("*" stays). */
export function escapedPath(url: GoUrl): ByteString {
  if (url.rawPath !== '' && validEncodedPath(url.rawPath)) {
    const path = unescape(url.rawPath, 'path');
    if (path === url.path) return url.rawPath;
  }
  if (url.path === '*') return '*';
  return escapePath(url.path);
}

/** Go's URL.RequestURI: the opaque part or the escaped path ("/" if empty), then "?query". */
export function requestUri(url: GoUrl): ByteString {
  let result = url.opaque;
  if (result === '') result = escapedPath(url) || '/';
  else if (result.startsWith('//')) result = `${url.scheme}:${result}`;
  return url.forceQuery || url.rawQuery !== '' ? `${result}?${url.rawQuery}` : result;
}
