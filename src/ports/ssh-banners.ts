/**
 * Whether a server's SSH port answers yet, learned without an API request and without holding
 * the caller: a TCP connect and the server's SSH banner (`SSH-2.0-…`), in the background.
 */
export interface SshBanners {
  /**
   * True when `host:port` showed an SSH banner within the last few seconds. Never waits: when it
   * is not known yet, a fresh short attempt is started in the background (replacing one that is
   * stale), and a later call sees its outcome. With `onAnswer`, the watch keeps trying in the
   * background for a while and calls it once when the banner appears, so the caller can rest
   * until then instead of asking again and again.
   */
  answering(host: string, port: number, onAnswer?: () => void): boolean;
}
