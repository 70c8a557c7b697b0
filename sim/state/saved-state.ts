import { readFile } from 'node:fs/promises';

/** A state file of `imageurl sim --state-dir` that cannot be used: named, so the user can act. */
export class CorruptStateError extends Error {
  readonly code = 'SIM_STATE_CORRUPT';
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path}: ${problem}; move the file away (or use another --state-dir) to start with a fresh state`);
  }
}

/**
 * The saved state at `path` (format `version` 1), or undefined when there is none yet. A file
 * that is not such a state is a CorruptStateError naming it: starting afresh over it would
 * overwrite what the user kept.
 */
export async function readSavedState(path: string): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CorruptStateError(path, `cannot be read (${(error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CorruptStateError(path, `not valid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new CorruptStateError(path, 'not a saved state (want a JSON object)');
  const version = (parsed as { version?: unknown }).version;
  if (version !== 1)
    throw new CorruptStateError(path, `unsupported version ${JSON.stringify(version)} (want 1)`);
  return parsed as Record<string, unknown>;
}
