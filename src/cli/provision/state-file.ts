import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ProvisionError } from './provision-errors.js';
import { provisionRequestSchema, type ProvisionRequest } from './provision-request.js';

/**
 * What a run keeps between runs: the request, the key it uploaded and the engine's whole status
 * (the boot state, its start, the server id, the pinned rescue host key and the command-run
 * bookkeeping that keeps a resumed run from starting the command twice). No secret is in it.
 */
export interface ProvisionState<S> {
  readonly request: ProvisionRequest;
  /** The Hetzner Cloud SSH key this tool uploaded (and `provision delete` removes). */
  readonly uploadedSshKey?: { readonly id: number; readonly name: string };
  /** The engine's status (MachineStatus or HostStatus); absent before the first step. */
  readonly status?: S;
}

const VERSION = 1;

const fileSchema = z.object({
  version: z.literal(VERSION),
  request: provisionRequestSchema,
  uploadedSshKey: z.object({ id: z.number(), name: z.string() }).optional(),
  status: z.record(z.string(), z.unknown()).optional(),
});

/** `$XDG_STATE_HOME/imageurl/provision`, else `~/.local/state/imageurl/provision`. */
export function defaultStateDir(env: NodeJS.ProcessEnv): string {
  const base = env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state');
  return join(base, 'imageurl', 'provision');
}

/** JSON has no dates: they travel as `{"$date": "<ISO>"}` and come back as Date. */
function encodeDates(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(encodeDates);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, encodeDates(inner)]));
  return value;
}

function decodeDates(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decodeDates);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  const [first] = entries;
  if (entries.length === 1 && first?.[0] === '$date' && typeof first[1] === 'string')
    return new Date(first[1]);
  return Object.fromEntries(entries.map(([key, inner]) => [key, decodeDates(inner)]));
}

/** The state file of one name, in one directory. */
export class StateFile<S> {
  readonly path: string;

  constructor(
    readonly dir: string,
    readonly name: string,
  ) {
    this.path = join(dir, `${name}.json`);
  }

  get lockPath(): string {
    return join(this.dir, `${this.name}.lock`);
  }

  /** The saved state, or undefined when there is none. */
  async read(): Promise<ProvisionState<S> | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new ProvisionError('STATE_UNUSABLE', `cannot read ${this.path}: ${(error as Error).message}`);
    }
    let parsed: z.infer<typeof fileSchema>;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch (error) {
      throw new ProvisionError(
        'STATE_UNUSABLE',
        `${this.path} is not a state file of this version of imageurl provision; move it away to start over`,
        { cause: error },
      );
    }
    if (parsed.request.name !== this.name)
      throw new ProvisionError(
        'STATE_UNUSABLE',
        `${this.path} belongs to ${parsed.request.name}, not ${this.name}`,
      );
    const { request, uploadedSshKey, status } = parsed;
    return {
      request,
      ...(uploadedSshKey ? { uploadedSshKey } : {}),
      ...(status ? { status: decodeDates(status) as S } : {}),
    };
  }

  /** Writes the whole state: a temporary file (0600) renamed over the old one, never half a file. */
  async write(state: ProvisionState<S>): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    const body = { version: VERSION, ...state, status: encodeDates(state.status) };
    await writeFile(temporary, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.path);
  }

  async remove(): Promise<void> {
    await rm(this.path, { force: true });
  }
}
