import type { HttpTransportOptions } from '../transport-options.js';
import type { RobotRequestBudget } from './request-budget.js';

/** Why a request waits before it is sent. */
export type RobotWaitCause =
  /** Our own record says the endpoint's hourly limit is used up. */
  | 'budget'
  /** Robot answered 403 `RATE_LIMIT_EXCEEDED`; the request goes again once the window allows. */
  | 'rate_limited';

/**
 * What the client tells about its traffic, for metrics and logs: every HTTP exchange and every
 * wait for the request limit. `endpoint` is a path template (`/boot/{n}/rescue`), never a path
 * with ids and never anything secret. Implementations must be cheap and must not throw.
 */
export interface RobotApiObserver {
  /** One HTTP exchange ended (retries are separate exchanges); `status` 0 when no answer came. */
  onRequest?(endpoint: string, method: string, status: number): void;
  /** The client is about to wait this many seconds before sending a request to `endpoint`. */
  onRateLimitWait?(seconds: number, endpoint: string, cause: RobotWaitCause): void;
}

export interface RobotTransportOptions extends HttpTransportOptions {
  /** The Robot webservice user; sent only in the Basic `Authorization` header. */
  readonly user: string;
  /** Its password; never logged, never put into an error, a URL or a process argument. */
  readonly password: string;
  /** Default `https://robot-ws.your-server.de`; must not carry credentials itself. */
  readonly endpoint?: string;
  /** Retries of transient failures per call; default 3. */
  readonly maxRetries?: number;
  /**
   * The longest one call waits, in total, for the hourly limits before it gives up with
   * `ROBOT_RATE_LIMITED` (carrying `retryAfterMs`); default 2 minutes. A reconciler should
   * requeue rather than hold a worker for the rest of the hour.
   */
  readonly maxRateLimitWaitMs?: number;
  /**
   * After a 401, further calls fail at once for this long instead of being sent: Robot blocks
   * the source address after three failed logins (Robot docs), which would lock out good credentials
   * too. Default 10 minutes; 0 turns it off.
   */
  readonly unauthorizedHoldMs?: number;
  /** The account's request budget; pass one instance to every client of the same account. */
  readonly budget?: RobotRequestBudget;
  readonly observer?: RobotApiObserver;
}

export const defaultRobotEndpoint = 'https://robot-ws.your-server.de';

/** Largest answer body read; Robot's answers for these calls are a few KiB. */
export const maxAnswerBytes = 1024 * 1024;
