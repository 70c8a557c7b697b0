/** `host[:port]` of an image URL (`oci://HOST/…`, `https://HOST/…`), lower-cased; undefined without one. */
export function imageUrlHost(imageUrl: string): string | undefined {
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(imageUrl)?.[1];
  if (authority === undefined) return undefined;
  const host = authority.slice(authority.lastIndexOf('@') + 1).toLowerCase();
  return host === '' ? undefined : host;
}

/**
 * The registry token a command may have for this image URL. Without bound hosts every command
 * gets the controller's token, as CAPH does (an imageURL naming someone else's registry receives
 * it too); with `hosts`, only a command whose imageURL names one of them, by `host` or `host:port`.
 */
export function registryTokenFor(
  token: string | undefined,
  imageUrl: string,
  hosts: readonly string[] | undefined,
): string | undefined {
  if (token === undefined || token === '' || hosts === undefined) return token;
  const host = imageUrlHost(imageUrl);
  if (host === undefined) return undefined;
  const bare = host.replace(/:\d+$/, '');
  return hosts.some((allowed) => allowed === host || allowed === bare) ? token : undefined;
}
