import { RobotError, type RobotErrorCode } from '../../ports/robot-errors.js';
import type { WireError } from './wire-schemas.js';

/** What arrived for a failed call: the HTTP status and the parsed `error` envelope, if any. */
export interface FailedAnswer {
  /** The port operation, named in the message, e.g. `getServer`. */
  readonly operation: string;
  readonly status: number;
  /** Undefined when the body was not Robot's error envelope. */
  readonly apiError?: WireError;
}

/** Robot's error codes (Robot docs, per endpoint) that mean something to the port; the rest go by status. */
const byApiCode: Readonly<Record<string, RobotErrorCode>> = {
  UNAUTHORIZED: 'ROBOT_UNAUTHORIZED',
  RATE_LIMIT_EXCEEDED: 'ROBOT_RATE_LIMITED',
  SERVER_NOT_FOUND: 'ROBOT_NOT_FOUND',
  NOT_FOUND: 'ROBOT_NOT_FOUND',
  RESET_NOT_AVAILABLE: 'ROBOT_UNSUPPORTED',
  BOOT_NOT_AVAILABLE: 'ROBOT_UNSUPPORTED',
  INVALID_INPUT: 'ROBOT_INVALID_INPUT',
  KEY_ALREADY_EXISTS: 'ROBOT_CONFLICT',
  BOOT_ALREADY_ENABLED: 'ROBOT_CONFLICT',
  BOOT_BLOCKED: 'ROBOT_CONFLICT',
  RESET_MANUAL_ACTIVE: 'ROBOT_CONFLICT',
  CONFLICT: 'ROBOT_CONFLICT',
};

/** For answers without (or with an unknown) code. A bare 403 means the user may not do this. */
const byStatus: Readonly<Record<number, RobotErrorCode>> = {
  400: 'ROBOT_INVALID_INPUT',
  401: 'ROBOT_UNAUTHORIZED',
  403: 'ROBOT_UNAUTHORIZED',
  404: 'ROBOT_NOT_FOUND',
  409: 'ROBOT_CONFLICT',
  429: 'ROBOT_RATE_LIMITED',
};

export function portCode(status: number, apiCode: string | undefined): RobotErrorCode {
  const known = apiCode === undefined ? undefined : byApiCode[apiCode];
  if (known !== undefined) return known;
  if (status >= 500 && status < 600) return 'ROBOT_UNAVAILABLE';
  return (
    byStatus[status] ?? (status >= 400 && status < 500 ? 'ROBOT_INVALID_INPUT' : 'ROBOT_UNEXPECTED_RESPONSE')
  );
}

/**
 * The longest message a Robot error carries. Cut only in `redacted`, after the secrets are
 * gone: a secret cut in half at a limit would otherwise leave its first half behind.
 */
const maxMessage = 600;

/** Turns a failed answer into the port's RobotError, naming the operation (never credentials); `redacted` bounds it. */
export function classifyAnswer(failed: FailedAnswer): RobotError {
  const { apiError, status, operation } = failed;
  const code = portCode(status, apiError?.code);
  const what =
    apiError === undefined ? `HTTP ${status} without an error body` : (apiError.message ?? apiError.code);
  const tag = apiError === undefined ? `HTTP ${status}` : `${apiError.code}, HTTP ${status}`;
  const message = `robot ${operation} failed: ${what} (${tag})${details(code, apiError)}`;
  return new RobotError(code, message, {
    httpStatus: status,
    ...(apiError === undefined ? {} : { apiCode: apiError.code }),
  });
}

function details(code: RobotErrorCode, apiError: WireError | undefined): string {
  if (code === 'ROBOT_UNAUTHORIZED') return '; check the Robot webservice user and password';
  const fields = [
    ...(apiError?.missing?.length ? [`missing: ${apiError.missing.join(', ')}`] : []),
    ...(apiError?.invalid?.length ? [`invalid: ${apiError.invalid.join(', ')}`] : []),
  ];
  return fields.length === 0 ? '' : `; ${fields.join('; ')}`;
}

/** The limit a `RATE_LIMIT_EXCEEDED` answer states, if it states one (Robot uses both spellings). */
export function statedLimit(
  apiError: WireError | undefined,
): { requests: number; intervalMs: number } | undefined {
  const requests = apiError?.max_requests ?? apiError?.max_request;
  const interval = apiError?.interval;
  if (requests === undefined || requests === null || interval === undefined || interval === null)
    return undefined;
  return { requests, intervalMs: interval * 1000 };
}

/** A request that got no answer; `networkCode` is the socket error's code when there is one. */
export function classifyNetworkError(
  operation: string,
  error: unknown,
  timeoutMs: number | undefined,
): RobotError {
  const reason =
    timeoutMs === undefined
      ? `network error (${networkCode(error) ?? 'no code'})`
      : `no answer within ${timeoutMs} ms`;
  return new RobotError('ROBOT_UNAVAILABLE', `robot ${operation} failed: ${reason}`, { cause: error });
}

/** `ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`, … from fetch's error or its cause. */
export function networkCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth += 1) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    current = current.cause;
  }
  return undefined;
}

/**
 * Belt and braces: whatever Robot echoed, no message keeps a secret (the password, the user,
 * the Basic credentials); then the message is cut to its bound. Secrets shorter than 4
 * characters are not searched for.
 */
export function redacted(error: RobotError, secrets: readonly string[]): RobotError {
  const leaked = secrets.filter((secret) => secret.length >= 4 && error.message.includes(secret));
  if (leaked.length === 0 && error.message.length <= maxMessage) return error;
  const clean = leaked.reduce((text, secret) => text.split(secret).join('[redacted]'), error.message);
  const message = clean.length <= maxMessage ? clean : `${clean.slice(0, maxMessage - 1)}…`;
  return new RobotError(error.code, message, {
    ...(error.apiCode === undefined ? {} : { apiCode: error.apiCode }),
    ...(error.httpStatus === undefined ? {} : { httpStatus: error.httpStatus }),
    ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
  });
}
