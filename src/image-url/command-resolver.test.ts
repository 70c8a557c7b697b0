import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'commands-'));
    await writeFile(join(dir, 'image-url-command-ok.sh'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(join(dir, 'image-url-command-empty.sh'), '');
    await writeFile(join(dir, 'image-url-command-open.sh'), '#!/bin/sh\n');
    await chmod(join(dir, 'image-url-command-open.sh'), 0o777);
    await mkdir(join(dir, 'image-url-command-dir'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('resolves an existing command to its path', async () => {
    assert.deepEqual(await directoryCommandResolver(dir).resolve('image-url-command-ok.sh'), {
      path: join(dir, 'image-url-command-ok.sh'),
    });
  });

  for (const [name, problem] of [
    ['image-url-command-missing.sh', /ENOENT/],
    ['image-url-command-empty.sh', /empty/],
    ['image-url-command-open.sh', /writable by everyone/],
    ['image-url-command-dir', /not a regular file/],
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
