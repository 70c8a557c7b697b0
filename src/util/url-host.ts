/** `host[:port]` of a URL (`oci://HOST/…`, `https://HOST/…`), lower-cased, without userinfo; undefined without one. */
export function urlHost(url: string): string | undefined {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url)?.[1];
  if (authority === undefined) return undefined;
  const host = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
  return host === '' ? undefined : host;
}

/**
 * Whether the host of `url` is one of `hosts` (`host` or `host:port`, any case): a listed `host`
 * covers every port of it, a listed `host:port` only that port.
 */
export function urlHostIsListed(url: string, hosts: readonly string[]): boolean {
  const host = urlHost(url);
  if (host === undefined) return false;
  const bare = host.replace(/:\d+$/, '');
  return hosts.some((listed) => {
    const wanted = listed.toLowerCase();
    return wanted === host || wanted === bare;
  });
}
