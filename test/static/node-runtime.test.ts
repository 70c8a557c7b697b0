import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { pinnedNode } from '../support/node-pin.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

// "Test what we ship" (docs/adr/0009-node-lts.md): one pinned Node.js, named the same way
// everywhere, and the test command really runs the suite on it.
describe('the Node.js imageurl runs on', () => {
  it('is pinned once: .nvmrc and package.json engines name the same release line', async () => {
    const { version } = await pinnedNode();
    assert.equal((await readFile(`${root}.nvmrc`, 'utf8')).trim(), version);
    const manifest = JSON.parse(await readFile(`${root}package.json`, 'utf8')) as {
      engines: { node: string };
    };
    const major = version.split('.')[0];
    assert.match(manifest.engines.node, new RegExp(`^\\^${major}\\.\\d+\\.\\d+$`));
  });

  it(
    'runs this suite, and every `node` a test starts, when run by the test command',
    { skip: process.env['IMAGEURL_TEST_RUN'] ? false : 'run outside the test command (scripts/test.sh)' },
    async () => {
      const { version } = await pinnedNode();
      assert.equal(process.version, `v${version}`, `this test file runs on ${process.execPath}`);
      const { stdout } = await promisify(execFile)('node', ['--version']);
      assert.equal(stdout.trim(), `v${version}`, 'the first `node` on PATH is not the pinned one');
    },
  );
});
