import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkCommandName, directoryCommandResolver } from './command-resolver.js';
import { isProvisioningError } from './errors.js';

describe('command names (spec: a basename starting with image-url-command-)', () => {
  const cases: [string, RegExp | undefined][] = [
    ['image-url-command-foo.sh', undefined],
    ['/shared/image-url-command.sh', /basename/],
    ['image-url-command-foo..sh', /'\.\.'/],
    ['1bad-command', /regex/],
    ['install-foo.sh', /regex/],
  ];
  for (const [name, problem] of cases) {
    it(`${problem ? 'rejects' : 'accepts'} ${name}`, () => {
      const found = checkCommandName(name);
      if (problem) assert.match(found ?? '', problem);
      else assert.equal(found, undefined);
    });
  }
});

describe('directoryCommandResolver', () => {
  let dir = '';
  let outside = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'commands-'));
    outside = await mkdtemp(join(tmpdir(), 'not-commands-'));
    await writeFile(join(dir, 'image-url-command-ok.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(dir, 'image-url-command-empty.sh'), '');
    await writeFile(join(dir, 'image-url-command-open.sh'), '#!/bin/sh\n');
    await chmod(join(dir, 'image-url-command-open.sh'), 0o777);
    await mkdir(join(dir, 'image-url-command-dir'));
    await writeFile(join(dir, 'image-url-command-group.sh'), '#!/bin/sh\n');
    await chmod(join(dir, 'image-url-command-group.sh'), 0o775);
    await writeFile(join(outside, 'evil.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await symlink(join(outside, 'evil.sh'), join(dir, 'image-url-command-escape.sh'));
    await mkdir(join(dir, '..2026_12_07'));
    await writeFile(
      join(dir, '..2026_12_07', 'image-url-command-configmap.sh'),
      '#!/bin/sh\necho from a configmap\n',
      {
        mode: 0o644,
      },
    );
    await symlink('..2026_12_07', join(dir, '..data'));
    await symlink('..data/image-url-command-configmap.sh', join(dir, 'image-url-command-configmap.sh'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('resolves an existing command to its bytes, read once: a later swap of the file changes nothing', async () => {
    const resolved = await directoryCommandResolver(dir).resolve('image-url-command-ok.sh');
    await writeFile(join(dir, 'image-url-command-ok.sh'), '#!/bin/sh\nrm -rf /\n', { mode: 0o755 });
    assert.deepEqual(resolved, { bytes: Buffer.from('#!/bin/sh\n') });
    await writeFile(join(dir, 'image-url-command-ok.sh'), '#!/bin/sh\n', { mode: 0o755 });
  });

  it('follows links that stay in the folder, as a ConfigMap volume lays its files out', async () => {
    assert.deepEqual(await directoryCommandResolver(dir).resolve('image-url-command-configmap.sh'), {
      bytes: Buffer.from('#!/bin/sh\necho from a configmap\n'),
    });
  });

  for (const [name, problem] of [
    ['image-url-command-missing.sh', /ENOENT/],
    ['image-url-command-empty.sh', /empty/],
    ['image-url-command-open.sh', /writable by everyone/],
    ['image-url-command-dir', /not a regular file/],
    ['image-url-command-group.sh', /writable by its group/],
    ['image-url-command-escape.sh', /leads out of .* \(to .*evil\.sh\)/],
    ['../etc/passwd', /basename/],
  ] as const) {
    it(`refuses ${name} with COMMAND_NOT_ACCESSIBLE`, async () => {
      await assert.rejects(directoryCommandResolver(dir).resolve(name), (error: unknown) => {
        assert.ok(isProvisioningError(error, 'COMMAND_NOT_ACCESSIBLE'));
        assert.match(error.message, problem);
        assert.match(error.message, /is invalid or not accessible by the controller pod/);
        return true;
      });
    });
  }
});
