/**
 * Errors of the robot-servers port, with stable codes callers branch on (never on message text).
 * The Robot webservice's own code (`SERVER_NOT_FOUND`, `KEY_ALREADY_EXISTS`, …) stays in
 * `apiCode` for the cases where a caller needs the finer distinction. No message ever carries
 * the webservice user or password.
 */
export type RobotErrorCode =
  /** Wrong webservice user or password (401), or the source address is blocked after failures. */
  | 'ROBOT_UNAUTHORIZED'
  /** The addressed server or SSH key does not exist (`SERVER_NOT_FOUND`, `NOT_FOUND`). */
  | 'ROBOT_NOT_FOUND'
  /** The server does not offer this at all (`RESET_NOT_AVAILABLE`, `BOOT_NOT_AVAILABLE`). */
  | 'ROBOT_UNSUPPORTED'
  /** The request was refused as invalid (400 `INVALID_INPUT`, e.g. a reset type not offered). */
  | 'ROBOT_INVALID_INPUT'
  /**
   * The state forbids it: `KEY_ALREADY_EXISTS`, `BOOT_ALREADY_ENABLED` (deactivate rescue
   * first), `RESET_MANUAL_ACTIVE` (retryable: the technician finishes), `CONFLICT`.
   */
  | 'ROBOT_CONFLICT'
  /** The endpoint's hourly request limit is used up; `retryAfterMs` says when to come back. */
  | 'ROBOT_RATE_LIMITED'
  /** Robot failed (5xx, maintenance) or did not answer (network error, timeout). */
  | 'ROBOT_UNAVAILABLE'
  /** An answer this client cannot read (not the documented shape, or an unexpected status). */
  | 'ROBOT_UNEXPECTED_RESPONSE';

export interface RobotErrorOptions {
  readonly cause?: unknown;
  /** The Robot error code exactly as sent, e.g. `SERVER_NOT_FOUND`; absent when none came. */
  readonly apiCode?: string;
  /** HTTP status of the answer; absent when no answer came. */
  readonly httpStatus?: number;
  /** For `ROBOT_RATE_LIMITED`: how long until the limit allows the next request. */
  readonly retryAfterMs?: number;
}

const retryableCodes: ReadonlySet<RobotErrorCode> = new Set(['ROBOT_RATE_LIMITED', 'ROBOT_UNAVAILABLE']);

export class RobotError extends Error {
  override readonly name = 'RobotError';
  /** Whether the same call may succeed later without anything else changing. */
  readonly retryable: boolean;
  readonly apiCode?: string;
  readonly httpStatus?: number;
  readonly retryAfterMs?: number;

  constructor(
    readonly code: RobotErrorCode,
    message: string,
    options: RobotErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = retryableCodes.has(code) || options.apiCode === 'RESET_MANUAL_ACTIVE';
    if (options.apiCode !== undefined) this.apiCode = options.apiCode;
    if (options.httpStatus !== undefined) this.httpStatus = options.httpStatus;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

export function isRobotError(error: unknown, code?: RobotErrorCode): error is RobotError {
  return error instanceof RobotError && (code === undefined || error.code === code);
}
