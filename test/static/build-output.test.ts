import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The repository's files `npm run build` compiles (and so emits to dist/), relative to the root. */
async function buildFiles(): Promise<string[]> {
  const { stdout } = await promisify(execFile)(
    `${root}node_modules/.bin/tsc`,
    ['-p', 'tsconfig.build.json', '--listFilesOnly'],
    { cwd: root, maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout
    .split('\n')
    .filter((file) => file.startsWith(root) && !file.includes('/node_modules/'))
    .map((file) => file.slice(root.length));
}

// What a production image ships: the provider, without the simulators and the demo (which
// needs them); docs/adr/0006-production-build-without-simulators.md.
describe('the production build', () => {
  it('compiles the CLI, the controller wiring and the API but no simulator, demo or test', async () => {
    const files = await buildFiles();
    for (const expected of ['src/cli/main.ts', 'src/setup/run-controller.ts', 'api/v1beta1/index.ts'])
      assert.ok(files.includes(expected), `the build misses ${expected}`);
    const unwanted = files.filter(
      (file) => file.startsWith('sim/') || file.startsWith('src/demo/') || file.endsWith('.test.ts'),
    );
    assert.deepEqual(unwanted, []);
  });
});
