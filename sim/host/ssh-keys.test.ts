import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { generateSshKeyPair, publicKeyFingerprint } from './ssh-keys.js';

describe('SSH key pairs', () => {
  it('computes the fingerprint ssh-keygen prints', async () => {
    const pair = generateSshKeyPair('test');
    const dir = await mkdtemp(join(tmpdir(), 'imageurl-keys-'));
    try {
      await writeFile(join(dir, 'key.pub'), `${pair.publicKey}\n`);
      const { stdout } = await promisify(execFile)('ssh-keygen', ['-lf', join(dir, 'key.pub')]);
      assert.equal(stdout.split(' ')[1], pair.fingerprint);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never hands out a malformed key (ssh2 encodes about 1 in 250 with 31 bytes)', () => {
    for (let i = 0; i < 1500; i++) {
      const blob = Buffer.from(generateSshKeyPair().publicKey.split(' ')[1] ?? '', 'base64');
      assert.equal(blob.length, 51);
    }
  });

  it('gives every pair its own key', () => {
    assert.notEqual(generateSshKeyPair().fingerprint, generateSshKeyPair().fingerprint);
  });

  it('rejects text that is not a public key', () => {
    assert.throws(() => publicKeyFingerprint('not-a-key'), /not an OpenSSH public key/);
  });
});
