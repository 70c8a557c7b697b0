import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findExecutable, htpasswdEntry } from './executables.js';

describe('findExecutable', () => {
  it('finds a program on PATH as an absolute path', async () => {
    assert.match(await findExecutable('sh', 'dash', '/nonexistent:/bin:/usr/bin'), /^\/(usr\/)?bin\/sh$/);
  });

  it('names the Debian package when the program is missing', async () => {
    await assert.rejects(
      findExecutable('docker-registry', 'docker-registry', '/nonexistent:relative'),
      /docker-registry was not found on PATH \(\/nonexistent:relative\); install the Debian package docker-registry/,
    );
  });
});

describe('htpasswdEntry', () => {
  let directory = '';
  let htpasswd = '';

  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'htpasswd-test-'));
    htpasswd = await findExecutable('htpasswd', 'apache2-utils');
  });
  after(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('makes a bcrypt entry that htpasswd itself verifies', async () => {
    const password = 'pa ss:wörd';
    const entry = await htpasswdEntry(htpasswd, { username: 'alice', password });
    assert.match(entry, /^alice:\$2y\$/);
    const file = join(directory, 'htpasswd');
    await writeFile(file, `${entry}\n`);
    const check = (candidate: string): number | null =>
      spawnSync(htpasswd, ['-vi', file, 'alice'], { input: `${candidate}\n` }).status;
    assert.equal(check(password), 0);
    assert.notEqual(check('wrong'), 0);
  });

  it('reports a failing htpasswd with its exit status', async () => {
    await assert.rejects(
      htpasswdEntry('/bin/false', { username: 'a', password: 'b' }),
      /htpasswd for user "a" failed \(code 1\)/,
    );
  });
});
