import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandSecrets } from './command-secrets.js';

describe('commandSecrets', () => {
  it('names the registry token, a URL password and every query value but sha256, raw and decoded', () => {
    const url =
      'https://reader:pa%24%24word@bucket.example.com/node.img.zst?X-Amz-Credential=AKIA%2F20261207&X-Amz-Signature=abcdef0123&sha256=ffff0000#sha256=aaaa';
    assert.deepEqual(commandSecrets({ registryToken: 'robot:S3CRET', imageUrl: url }), [
      'robot:S3CRET',
      'pa%24%24word',
      'pa$$word',
      'AKIA%2F20261207',
      'AKIA/20261207',
      'abcdef0123',
    ]);
  });

  it('has nothing to hide in a plain URL, and skips values too short to be secrets', () => {
    assert.deepEqual(commandSecrets({ imageUrl: 'oci://ghcr.io/org/node:v1' }), []);
    assert.deepEqual(commandSecrets({ registryToken: '', imageUrl: 'https://h/p?a=1&b=xyz' }), []);
  });
});
