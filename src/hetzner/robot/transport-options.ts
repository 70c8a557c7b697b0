import type { RobotApiObserver } from '../../ports/robot-api-observer.js';
import type { HttpTransportOptions } from '../transport-options.js';
import type { RobotRequestBudget } from './request-budget.js';

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
