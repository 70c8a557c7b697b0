/**
 * What a Hetzner Cloud API client tells about its own traffic, for metrics: every HTTP exchange
 * and every wait for the request budget or after a 429. Implemented by the composition root
 * (Prometheus counters); the client knows only this interface. Nothing here carries a token or
 * a raw id: `endpoint` is a path template. Implementations must be cheap and must not throw.
 */
export interface CloudApiObserver {
  /** One HTTP exchange ended (retries are separate exchanges). */
  requested(request: ObservedCloudRequest): void;
  /** The client is about to wait this long before sending a request. */
  waited(wait: ObservedCloudWait): void;
}

export interface ObservedCloudRequest {
  readonly method: string;
  /** Path template below the API root, ids replaced: `/servers/{id}/actions/poweron`. */
  readonly endpoint: string;
  /** HTTP status, or 0 when no answer came (network error, timeout). */
  readonly status: number;
  readonly durationMs: number;
}

/** `budget`: the client's own request budget was spent; `rate_limited`: the API answered 429. */
export type CloudWaitCause = 'budget' | 'rate_limited';

export interface ObservedCloudWait {
  readonly cause: CloudWaitCause;
  readonly ms: number;
}
