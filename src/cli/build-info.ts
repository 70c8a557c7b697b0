import { execFile } from 'node:child_process';
import { readFile, realpath } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The commit an imageurl was built from, as `imageurl version` shows it. */
export interface BuildInfo {
  /** Full commit id; undefined when nothing records it (no build record, no checkout). */
  readonly commit: string | undefined;
  /** The sources had changes that commit does not hold. */
  readonly modified: boolean;
}

/** Written next to the compiled code (`dist/build-info.json`) by `npm run build` and the image build. */
export const BUILD_INFO_FILE = 'build-info.json';

const unknown: BuildInfo = { commit: undefined, modified: false };
const run = promisify(execFile);

/**
 * The build's record when this code was compiled (dist/src/cli/ → dist/build-info.json);
 * otherwise, run from the sources (src/cli/ → the repository root), the checkout's HEAD.
 */
export async function readBuildInfo(moduleUrl: string = import.meta.url): Promise<BuildInfo> {
  const recordUrl = new URL(`../../${BUILD_INFO_FILE}`, moduleUrl);
  const text = await readFile(recordUrl, 'utf8').catch(() => undefined);
  if (text !== undefined) return parseBuildInfo(text);
  return checkoutBuildInfo(fileURLToPath(new URL('../../', moduleUrl)));
}

/** A build record; one that is not ours reads as unknown rather than failing `version`. */
export function parseBuildInfo(text: string): BuildInfo {
  try {
    const record = JSON.parse(text) as { commit?: unknown; modified?: unknown };
    if (typeof record.commit !== 'string' || !/^[0-9a-f]{40}$/.test(record.commit)) return unknown;
    return { commit: record.commit, modified: record.modified === true };
  } catch {
    return unknown;
  }
}

/**
 * HEAD of the git checkout whose top level is `root`, and whether tracked files differ from it.
 * A checkout around `root` (imageurl unpacked inside another repository) is not imageurl's.
 */
export async function checkoutBuildInfo(root: string): Promise<BuildInfo> {
  const git = async (...args: string[]): Promise<string> =>
    (await run('git', ['-C', root, ...args], { timeout: 10_000 })).stdout.trim();
  try {
    const [top, commit, changes] = await Promise.all([
      git('rev-parse', '--show-toplevel'),
      git('rev-parse', 'HEAD'),
      git('status', '--porcelain', '--untracked-files=no'),
    ]);
    if ((await realpath(top)) !== (await realpath(root))) return unknown;
    return { commit, modified: changes !== '' };
  } catch {
    return unknown;
  }
}

/** `25755fd1a2b3`, `25755fd1a2b3+modified` or `unknown`. */
export function shortCommit(info: BuildInfo): string {
  if (info.commit === undefined) return 'unknown';
  return `${info.commit.slice(0, 12)}${info.modified ? '+modified' : ''}`;
}
