import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { checkoutBuildInfo, parseBuildInfo, readBuildInfo, shortCommit } from './build-info.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

async function withScratch(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'imageurl-build-info-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('the commit imageurl was built from', () => {
  it('is read from dist/build-info.json by the compiled CLI', async () => {
    await withScratch(async (dir) => {
      await mkdir(join(dir, 'dist/src/cli'), { recursive: true });
      await writeFile(join(dir, 'dist/build-info.json'), JSON.stringify({ commit: COMMIT, modified: true }));
      const moduleUrl = pathToFileURL(join(dir, 'dist/src/cli/build-info.js')).href;
      const info = await readBuildInfo(moduleUrl);
      assert.deepEqual(info, { commit: COMMIT, modified: true });
      assert.equal(shortCommit(info), '0123456789ab+modified');
    });
  });

  it('is the checkout’s HEAD when run from the sources', async () => {
    const head = (await run('git', ['-C', root, 'rev-parse', 'HEAD'])).stdout.trim();
    assert.equal((await readBuildInfo()).commit, head);
  });

  it('is unknown outside a checkout of its own, and for a record that is not a commit', async () => {
    await withScratch(async (dir) => {
      assert.equal(shortCommit(await checkoutBuildInfo(dir)), 'unknown');
      // A folder inside imageurl's own checkout is not the top of a checkout.
      assert.equal((await checkoutBuildInfo(join(root, 'src'))).commit, undefined);
    });
    assert.equal(parseBuildInfo('{"commit":"main"}').commit, undefined);
    assert.equal(parseBuildInfo('not json').commit, undefined);
  });

  it('is recorded by scripts/write-build-info.ts, which npm run build runs', async () => {
    await withScratch(async (dir) => {
      await run(process.execPath, ['--import', 'tsx', join(root, 'scripts/write-build-info.ts'), dir]);
      const recorded = parseBuildInfo(await readFile(join(dir, 'build-info.json'), 'utf8'));
      assert.deepEqual(recorded, await checkoutBuildInfo(root));
      assert.notEqual(recorded.commit, undefined);
    });
  });
});
