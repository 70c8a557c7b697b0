import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The module itself is not there (neither built nor as a source), not just something it imports. */
function isAbsent(url: URL, error: unknown): boolean {
  if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') return false;
  const path = fileURLToPath(url);
  return !existsSync(path) && !existsSync(path.replace(/\.js$/, '.ts'));
}

/**
 * Loads the module behind a command that only a source checkout can run (`imageurl demo`,
 * `imageurl sim`): the production build leaves the demo and the simulators out
 * (docs/adr/0006-production-build-without-simulators.md), so they are loaded when the command runs,
 * never with the CLI, and their absence is a clear error rather than a stack trace. The URL is
 * computed, not a literal import, so the compiler does not pull the module into the build.
 * `T` is what the command expects of the module; test/static/checkout-modules.test.ts checks it.
 */
export async function importFromCheckout<T>(url: URL, command: string): Promise<T> {
  try {
    return (await import(url.href)) as T;
  } catch (error) {
    if (!isAbsent(url, error)) throw error;
    throw new Error(
      `${command} needs a source checkout: this build leaves out the demo and the simulators (${fileURLToPath(url)} is missing); ` +
        `run it from a clone of the repository without a dist/ folder: npm run setup && node bin/imageurl.js ${command}`,
      { cause: error },
    );
  }
}
