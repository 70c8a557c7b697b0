/** Stable codes of what stops `imageurl provision` before or while it runs. */
export type ProvisionErrorCode =
  /** The Hetzner Cloud token or the Robot credentials were refused (exit 1). */
  | 'CREDENTIALS_REFUSED'
  /** Another run holds this name's lock. */
  | 'LOCKED'
  /** The state file cannot be read or does not belong to this run. */
  | 'STATE_UNUSABLE'
  /** `provision delete` of a name with no state file. */
  | 'NOT_FOUND'
  /** A file named by a flag cannot be used (key, bootstrap data, credentials). */
  | 'FILE_UNUSABLE';

/** A failure with one clear line of text; the CLI prints it as `imageurl: <message>` and exits 1. */
export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';

  constructor(
    readonly code: ProvisionErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}
