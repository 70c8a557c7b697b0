import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = `${root}bin/imageurl.js`;

async function imageurl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the imageurl command', () => {
  it('lists exactly the commands that exist in --help', async () => {
    const { code, stdout } = await imageurl('--help');
    assert.equal(code, 0);
    const commands = [...(stdout.split('Commands:')[1] ?? '').matchAll(/^ {2}(\S+)/gm)].map((m) => m[1]);
    assert.deepEqual(commands, [
      'image',
      'validate',
      'sim',
      'controller',
      'demo',
      'version',
      'webhook',
      'help',
    ]);
  });

  it('prints its version, the commit it was built from and the runtime, as text and as JSON', async () => {
    const head = (await run('git', ['-C', root, 'rev-parse', 'HEAD'])).stdout.trim();
    const modified = (await run('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'])).stdout;
    const commit = `${head.slice(0, 12)}${modified.trim() === '' ? '' : '+modified'}`;
    const text = (await imageurl('version')).stdout;
    assert.match(text, /^imageurl \d+\.\d+\.\d+ \(commit /);
    assert.ok(text.includes(`(commit ${commit}, `), `not the checkout's commit ${commit}: ${text}`);
    assert.ok(text.includes(`, node ${process.versions.node}, `), `not the runtime it runs on: ${text}`);
    const facts = JSON.parse((await imageurl('version', '--output', 'json')).stdout) as {
      imageurl: string;
      commit: string;
    };
    assert.match(facts.imageurl, /^\d+\.\d+\.\d+$/);
    assert.equal(facts.commit, head);
  });

  it('rejects a bad option value naming the option, the value and what is allowed', async () => {
    const { code, stderr } = await imageurl('version', '--output', 'yaml');
    assert.equal(code, 1);
    assert.match(stderr, /--output: invalid value "yaml"; allowed: text, json/);
  });

  it('fails on an unknown command with a pointer to --help', async () => {
    const { code, stderr } = await imageurl('frobnicate');
    assert.notEqual(code, 0);
    assert.match(stderr, /unknown command 'frobnicate'/);
    assert.match(stderr, /imageurl --help/);
  });
});
