/**
 * Errors of the cloud-servers port, with stable codes callers branch on (never on message text).
 * The codes are the Hetzner Cloud API's own error codes where one exists, so an adapter passes
 * them through; `network_error` and `unknown` cover what the API never says itself.
 */
export type CloudErrorCode =
  /** The token is missing, invalid or unknown (also a read-only token on a write). */
  | 'unauthorized'
  /** The token lacks the permission. */
  | 'forbidden'
  /** The addressed server, action, image, type or key does not exist. */
  | 'not_found'
  /** A unique field is taken, e.g. the server name (adopt the existing server). */
  | 'uniqueness_error'
  /** The request was rejected as invalid; retrying the same request cannot help. */
  | 'invalid_input'
  /** The server type or location cannot be ordered right now. */
  | 'resource_unavailable'
  /** A project quota is used up. */
  | 'resource_limit_exceeded'
  /** The placement group cannot take the server. */
  | 'placement_error'
  /** Another action runs on the server; retry in a few seconds. */
  | 'locked'
  /** Protection forbids the operation. */
  | 'protected'
  /** The resource changed during the request; retry. */
  | 'conflict'
  /** The project's request budget is used up. */
  | 'rate_limit_exceeded'
  /** The API failed (5xx) or did not answer in time. */
  | 'server_error'
  | 'unavailable'
  | 'timeout'
  /** No answer at all: DNS, TCP, TLS. */
  | 'network_error'
  /** Any other API error code (kept in `apiCode`). */
  | 'unknown';

const retryableCodes: ReadonlySet<CloudErrorCode> = new Set([
  'locked',
  'conflict',
  'rate_limit_exceeded',
  'server_error',
  'unavailable',
  'timeout',
  'network_error',
]);

export interface CloudErrorOptions {
  readonly cause?: unknown;
  /** The code exactly as the API sent it (differs from `code` only for `unknown`). */
  readonly apiCode?: string;
  /** For `rate_limit_exceeded`: when the budget allows the next request. */
  readonly retryAfterMs?: number;
  /** For `invalid_input`: the request fields the API named as wrong (`server_type`, `image`, …). */
  readonly fields?: readonly string[];
}

export class CloudError extends Error {
  override readonly name = 'CloudError';
  /** Whether the same call may succeed later without anything else changing. */
  readonly retryable: boolean;
  readonly apiCode: string;
  readonly retryAfterMs?: number;
  readonly fields?: readonly string[];

  constructor(
    readonly code: CloudErrorCode,
    message: string,
    options: CloudErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = retryableCodes.has(code);
    this.apiCode = options.apiCode ?? code;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    if (options.fields !== undefined) this.fields = options.fields;
  }
}

export function isCloudError(error: unknown, code?: CloudErrorCode): error is CloudError {
  return error instanceof CloudError && (code === undefined || error.code === code);
}
