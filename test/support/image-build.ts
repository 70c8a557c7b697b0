// tools/image/build.sh (`npm run images`) as a child process the caller can stop, and what tests
// compare its images against: the reference commands and the Deployment's initContainer.
import { readFile, readdir, readlink, lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
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

/** The command of the Deployment's `commands` initContainer (config/manager/manager.yaml). */
export async function initContainerCommand(): Promise<string[]> {
  const text = await readFile(join(ROOT, 'config/manager/manager.yaml'), 'utf8');
  const deployment = parseAllDocuments(text)
    .map((document) => document.toJS() as DeploymentLike)
    .find((object) => object.kind === 'Deployment');
  const init = deployment?.spec?.template?.spec?.initContainers?.find(
    (container) => container.name === 'commands',
  );
  if (!init?.command?.length)
    throw new Error('config/manager/manager.yaml has no commands initContainer with a command');
  return init.command;
}

interface DeploymentLike {
  readonly kind?: string;
  readonly spec?: {
    readonly template?: {
      readonly spec?: { readonly initContainers?: readonly { name: string; command?: string[] }[] };
    };
  };
}
