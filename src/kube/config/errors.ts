/** Stable codes for configuration that cannot be used. */
export type ConfigErrorCode =
  'CONFIG_INVALID_FLAG' | 'CONFIG_INVALID_ENV' | 'KUBECONFIG_NOT_FOUND' | 'KUBECONFIG_INVALID';

/** Bad configuration: the message names the flag or variable, the value and what is allowed. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly code: ConfigErrorCode,
    message: string,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }
}
