import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { launcherPath, launcherScript } from './launcher-script.js';
import { remoteCommands } from './remote-commands.js';

describe('the rescue launcher', () => {
  it('is valid bash', async () => {
    const check = promisify(execFile)('bash', ['-n']);
    check.child.stdin?.end(launcherScript);
    await check;
  });

  it('passes shellcheck', async () => {
    const check = promisify(execFile)('shellcheck', ['--shell=bash', '-']);
    check.child.stdin?.end(launcherScript);
    await check;
  });

  it('lives at a path named after its content', () => {
    assert.match(launcherPath, /^\/root\/\.image-url-command\/launcher-[0-9a-f]{12}\.sh$/);
  });

  it('is the only script the fixed command lines run, and they hold nothing else', () => {
    assert.deepEqual(Object.values(remoteCommands).sort(), [
      `/bin/bash ${launcherPath} start`,
      `/bin/bash ${launcherPath} status`,
      `/bin/bash ${launcherPath} stop`,
      'hostname',
      'lsblk --json --bytes --nodeps --output NAME,SIZE,TYPE,WWN,SERIAL,MODEL',
      'reboot',
    ]);
  });

  it('never evaluates request values: no eval, no bash -c, values only in quoted expansions', () => {
    assert.doesNotMatch(launcherScript, /\beval\b|bash -c|sh -c/);
    for (const name of ['url', 'name', 'devices', 'token']) {
      // Every use of a value is a double-quoted expansion ("$url"), never bare.
      const bare = new RegExp(`[^"]\\$${name}\\b`);
      assert.doesNotMatch(launcherScript, bare, `$${name} is expanded unquoted`);
    }
  });
});
