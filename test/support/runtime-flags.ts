import { parseArgs } from 'node:util';
import {
  ConfigError,
  resolveRuntimeOptions,
  RUNTIME_FLAGS,
  type RuntimeOptions,
} from '../../src/kube/index.js';

/**
 * Parses exactly the runtime's flags from `argv`, for test processes that take no other flags
 * (the CLI parses its own flags and hands them to `resolveRuntimeOptions`).
 * Boolean flags also take a `--no-` form, the only way to turn off one that defaults to true.
 */
export function parseRuntimeFlags(argv: readonly string[], env: NodeJS.ProcessEnv): RuntimeOptions {
  const options = Object.fromEntries(
    RUNTIME_FLAGS.map((spec) => [
      spec.flag,
      { type: spec.kind === 'boolean' ? ('boolean' as const) : ('string' as const) },
    ]),
  );
  try {
    const { values } = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
    });
    return resolveRuntimeOptions(values, env);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError('CONFIG_INVALID_FLAG', error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}
