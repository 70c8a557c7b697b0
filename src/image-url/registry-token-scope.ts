import { urlHost, urlHostIsListed } from '../util/url-host.js';

/** `host[:port]` of an image URL, lower-cased; undefined without one. */
export const imageUrlHost = urlHost;

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
  return urlHostIsListed(imageUrl, hosts) ? token : undefined;
}

/** Registry credentials and the hosts they are bound to (absent: every host). */
export interface RegistryCredential {
  readonly token: string | undefined;
  readonly hosts?: readonly string[] | undefined;
}

/**
 * The token a command gets: the cluster's own credentials when its imageURL names one of the
 * cluster's hosts (they take precedence), else the controller's, by the controller's binding.
 */
export function commandRegistryToken(
  imageUrl: string,
  sources: { readonly cluster?: RegistryCredential | undefined; readonly controller: RegistryCredential },
): string | undefined {
  const { cluster, controller } = sources;
  const own =
    cluster === undefined ? undefined : registryTokenFor(cluster.token, imageUrl, cluster.hosts ?? []);
  return own ?? registryTokenFor(controller.token, imageUrl, controller.hosts);
}
