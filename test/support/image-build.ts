// tools/image/build.sh (`npm run images`) as a child process the caller can stop, and the facts
// about its result that tests compare against: the Node.js pin and the reference commands.
import { readFile, readdir, readlink, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessGroup } from '../../sim/process/process-group.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BUILD_SCRIPT = join(ROOT, 'tools/image/build.sh');

export interface ScriptRun {
  readonly code: string;
  readonly output: string;
}

/**
 * Runs a script of tools/image with bash and waits for its end. `group` owns the process, so a
 * test's `after` stops a build that outlives a failed `before`.
 */
export async function runImageScript(
  group: ProcessGroup,
  script: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<ScriptRun> {
  const child = group.start({
    name: script,
    command: '/bin/bash',
    args: [join(ROOT, 'tools/image', script), ...args],
    env: { ...process.env, ...env },
    cwd: ROOT,
  });
  const code = await child.waitForExit();
  await group.stopMember(child);
  return { code, output: child.output.text() };
}

/** NODE_VERSION of tools/image/node.env. */
export async function pinnedNodeVersion(): Promise<string> {
  const text = await readFile(join(ROOT, 'tools/image/node.env'), 'utf8');
  const version = /^NODE_VERSION=(\S+)$/m.exec(text)?.[1];
  if (version === undefined) throw new Error('tools/image/node.env has no NODE_VERSION');
  return version;
}

/** Each image-url-command in `dir`: its link target, or its mode and content. */
export async function describeCommands(dir: string): Promise<Map<string, string>> {
  const names = (await readdir(dir)).filter((name) => name.startsWith('image-url-command-')).sort();
  const entries = await Promise.all(
    names.map(async (name): Promise<[string, string]> => {
      const path = join(dir, name);
      const stats = await lstat(path);
      if (stats.isSymbolicLink()) return [name, `link to ${await readlink(path)}`];
      const mode = (stats.mode & 0o777).toString(8);
      return [name, `file mode ${mode}: ${(await readFile(path)).toString('base64')}`];
    }),
  );
  return new Map(entries);
}
