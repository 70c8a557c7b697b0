/**
 * What a server's SSH port showed lately, learned without an API request and without holding the
 * caller: a TCP connect and the SSH key exchange up to the server's host key (no login).
 */
export type HostKeySighting =
  /** Nothing learned yet; an attempt runs in the background. */
  | { readonly kind: 'unknown' }
  /** The last attempt got no answer before its deadline (connection attempts dropped). */
  | { readonly kind: 'silent' }
  /** The port refused the connection, or closed it before a key exchange. */
  | { readonly kind: 'refused' }
  /** An SSH server answered with this host key (`SHA256:…`). */
  | { readonly kind: 'key'; readonly fingerprint: string };

export interface SshHostKeys {
  /**
   * The latest sighting at `host:port`. Never waits: a fresh short attempt is started in the
   * background when none runs, and a later call sees its outcome. With `onKey`, the watch keeps
   * trying in the background for a while and calls it once when a host key is seen, so the
   * caller can rest until then.
   */
  sighting(host: string, port: number, onKey?: () => void): HostKeySighting;
}
