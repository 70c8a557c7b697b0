import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeForm } from './form-encoding.js';

describe('robot form encoding', () => {
  it('sends lists PHP-style as name[]= pairs, in order, and leaves out undefined fields', () => {
    const body = encodeForm({ os: 'linux', authorized_key: ['aa:bb', 'cc:dd'], arch: undefined });
    assert.equal(body, 'os=linux&authorized_key%5B%5D=aa%3Abb&authorized_key%5B%5D=cc%3Add');
    const decoded = [...new URLSearchParams(body)];
    assert.deepEqual(decoded, [
      ['os', 'linux'],
      ['authorized_key[]', 'aa:bb'],
      ['authorized_key[]', 'cc:dd'],
    ]);
  });

  it('sends nothing for an empty list', () => {
    assert.equal(encodeForm({ os: 'linux', authorized_key: [] }), 'os=linux');
  });

  it('escapes key material so +, / and = survive, and spaces become +', () => {
    const data = 'ssh-ed25519 AAAA+b/c== me@host';
    const body = encodeForm({ name: 'rescue key', data });
    assert.equal(body, 'name=rescue+key&data=ssh-ed25519+AAAA%2Bb%2Fc%3D%3D+me%40host');
    assert.equal(new URLSearchParams(body).get('data'), data);
  });

  it('cannot be tricked into extra fields by values containing & or =', () => {
    const body = encodeForm({ server_name: 'a&type=hw' });
    assert.deepEqual([...new URLSearchParams(body)], [['server_name', 'a&type=hw']]);
  });
});
