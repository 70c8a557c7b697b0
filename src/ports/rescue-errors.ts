/**
 * Errors of the rescue port, with stable codes callers branch on (never on message text).
 * `retryable` says whether the same call may succeed later without anything else changing.
 */
export type RescueErrorCode =
  /** No route to the host, or the name does not resolve. */
  | 'SSH_UNREACHABLE'
  /** Nothing listens on the port (the system is still booting, or is not a rescue system). */
  | 'SSH_REFUSED'
  /** The server rejected the key (wrong key, or another system answers on that address). */
  | 'SSH_AUTH_FAILED'
  /** The host key differs from the one pinned for this attempt. Never retried. */
  | 'SSH_HOST_KEY_MISMATCH'
  /** No handshake, or no answer to a command, within the time allowed. */
  | 'SSH_TIMEOUT'
  /** An established connection broke (keepalive timeout, reset, server gone). */
  | 'SSH_CONNECTION_LOST'
  /** An input value is not allowed; nothing was copied or started. */
  | 'RESCUE_INVALID_INPUT'
  /** This rescue boot already ran another attempt's command. */
  | 'RESCUE_ATTEMPT_CONFLICT'
  /** A fixed remote operation failed (file transfer, launcher, lsblk). */
  | 'RESCUE_REMOTE_FAILED';

const retryableCodes: ReadonlySet<RescueErrorCode> = new Set([
  'SSH_UNREACHABLE',
  'SSH_REFUSED',
  'SSH_AUTH_FAILED',
  'SSH_TIMEOUT',
  'SSH_CONNECTION_LOST',
]);

export class RescueError extends Error {
  override readonly name = 'RescueError';
  readonly retryable: boolean;

  constructor(
    readonly code: RescueErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
    this.retryable = retryableCodes.has(code);
  }
}

export function isRescueError(error: unknown, code?: RescueErrorCode): error is RescueError {
  return error instanceof RescueError && (code === undefined || error.code === code);
}
