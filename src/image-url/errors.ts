/**
 * Errors the core itself raises, with stable codes (port errors keep their own classes; a
 * transition the table does not allow is the engine's StateMachineError `INVALID_TRANSITION`).
 */
export type ProvisioningErrorCode =
  /** A cloud call failed in a way no handler handles; the message says which call. */
  | 'CLOUD_CALL_FAILED'
  /** The status lacks what this state needs (server id, address); status was lost or edited. */
  | 'STATUS_INCOMPLETE'
  /** The action id in status is unknown to the API. */
  | 'ACTION_NOT_FOUND'
  /** The command name is not allowed or the file is not usable. */
  | 'COMMAND_NOT_ACCESSIBLE'
  | 'BOOTSTRAP_DATA_MISSING'
  /** The command failed and its output.json cannot be parsed (CAPH retries until the timeout). */
  | 'OUTPUT_JSON_UNREADABLE'
  /** The rescue system says the command was never started, though this state means it was. */
  | 'COMMAND_NOT_STARTED'
  /**
   * The server a machine names (providerID) was not created for it: its name or labels differ.
   * No call is made on it.
   */
  | 'SERVER_NOT_OWNED'
  /**
   * A bare-metal state that needs the claiming machine's request ran without one (a bug: the
   * release gate moves such hosts to deprovisioning first).
   */
  | 'NOT_CLAIMED';

export class ProvisioningError extends Error {
  override readonly name = 'ProvisioningError';

  constructor(
    readonly code: ProvisioningErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isProvisioningError(
  error: unknown,
  code?: ProvisioningErrorCode,
): error is ProvisioningError {
  return error instanceof ProvisioningError && (code === undefined || error.code === code);
}

/** An error's message for conditions and events (never a stack). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
