import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const preload = new URL('./module-trace/record-modules.js', import.meta.url).href;

/** A module of ours as its path from the repository root, dist/ taken off (a build reads like the sources). */
function relativeModule(url: string): string {
  if (!url.startsWith('file:') || !fileURLToPath(url).startsWith(root)) return url;
  return fileURLToPath(url)
    .slice(root.length)
    .replace(/^dist\//, '');
}

export interface ImageurlRun {
  readonly stdout: string;
  /** Every ES module the process loaded: ours as paths from the repository root, others as URLs. */
  readonly modules: readonly string[];
}

/** Runs `imageurl <args>` as bin/imageurl.js does for a user, recording the modules it loads. */
export async function runRecordingModules(args: readonly string[]): Promise<ImageurlRun> {
  const scratch = await mkdtemp(join(tmpdir(), 'imageurl-modules-'));
  const log = join(scratch, 'modules.txt');
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', preload, join(root, 'bin/imageurl.js'), ...args],
      { cwd: root, env: { ...process.env, IMAGEURL_MODULE_LOG: log } },
    );
    const urls = (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '');
    const modules = [...new Set(urls)].map((url) => relativeModule(url));
    return { stdout, modules };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
