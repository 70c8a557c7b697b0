import type { RobotApiObserver } from '../../ports/robot-api-observer.js';
import type { RobotRequestBudget } from './request-budget.js';

export interface RobotTransportOptions {
  /** The Robot webservice user; sent only in the Basic `Authorization` header. */
  readonly user: string;
  /** Its password; never logged, never put into an error, a URL or a process argument. */
  readonly password: string;
  /** Default `https://robot-ws.your-server.de`; must not carry credentials itself. */
  readonly endpoint?: string;
  /** Per-attempt deadline; default 30 s. */
  readonly timeoutMs?: number;
  /** Default the global fetch. */
  readonly fetch?: typeof fetch;
  /** Default `Date.now`. */
  readonly now?: () => number;
  /** Default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1); default `Math.random`. */
  readonly random?: () => number;
  /** Backoff base for transient failures; default 1000 ms. */
  readonly backoffBaseMs?: number;
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
   * the source address after three failed logins (B1), which would lock out good credentials
   * too. Default 10 minutes; 0 turns it off.
   */
  readonly unauthorizedHoldMs?: number;
  /** The account's request budget; pass one instance to every client of the same account. */
  readonly budget?: RobotRequestBudget;
  /** Added in front of `imageurl` in the User-Agent. */
  readonly userAgent?: string;
  readonly observer?: RobotApiObserver;
}

export const defaultRobotEndpoint = 'https://robot-ws.your-server.de';

/** Largest answer body read; Robot's answers for these calls are a few KiB. */
export const maxAnswerBytes = 1024 * 1024;

export const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
