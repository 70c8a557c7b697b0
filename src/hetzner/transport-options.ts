/**
 * What the Cloud and the Robot transport both take besides their credentials, and the defaults
 * they share. Each client's own options (`cloud/transport-options.ts`,
 * `robot/transport-options.ts`) extend this and keep their own defaults: endpoint, retries,
 * request budget.
 */
export interface HttpTransportOptions {
  /** The API's base URL; each client documents its default. */
  readonly endpoint?: string;
  /** Per-attempt deadline; default `defaultTimeoutMs`. */
  readonly timeoutMs?: number;
  /** Default the global fetch. */
  readonly fetch?: typeof fetch;
  /** Default `Date.now`. */
  readonly now?: () => number;
  /** Default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); default `Math.random`. */
  readonly random?: () => number;
  /** Backoff base of retried failures; default 1000 ms (hcloud-go's); tests make it small. */
  readonly backoffBaseMs?: number;
  /** Added in front of `imageurl` in the User-Agent. */
  readonly userAgent?: string;
}

/** 30 s per attempt, for both APIs. */
export const defaultTimeoutMs = 30_000;

export const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

/** The headers of every request: the client's `Authorization` value, JSON answers, our User-Agent. */
export function baseHeaders(authorization: string, userAgent: string | undefined): Record<string, string> {
  return {
    Authorization: authorization,
    Accept: 'application/json',
    'User-Agent': `${userAgent === undefined ? '' : `${userAgent} `}imageurl`,
  };
}
