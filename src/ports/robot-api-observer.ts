/** Why a request waits before it is sent. */
export type RobotWaitCause =
  /** Our own record says the endpoint's hourly limit is used up. */
  | 'budget'
  /** Robot answered 403 `RATE_LIMIT_EXCEEDED`; the request goes again once the window allows. */
  | 'rate_limited';

/**
 * What the Robot API client (src/hetzner/robot) tells about its traffic, for metrics and logs:
 * every HTTP exchange and every wait for the request limit. Implemented by the composition
 * root (Prometheus counters). `endpoint` is a path template (`/boot/{n}/rescue`), never a path
 * with ids and never anything secret. Implementations must be cheap and must not throw.
 */
export interface RobotApiObserver {
  /** One HTTP exchange ended (retries are separate exchanges); `status` 0 when no answer came. */
  onRequest?(endpoint: string, method: string, status: number): void;
  /** The client is about to wait this many seconds before sending a request to `endpoint`. */
  onRateLimitWait?(seconds: number, endpoint: string, cause: RobotWaitCause): void;
}
