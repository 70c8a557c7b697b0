import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KnownSecrets } from './known-secrets.js';

describe('KnownSecrets', () => {
  it('redacts every value it was told, the longer first', () => {
    const known = new KnownSecrets();
    known.add('hcloud-token-0123456789');
    known.add('token-0123');
    known.add(undefined);
    assert.equal(
      known.redact('Bearer hcloud-token-0123456789 and token-0123'),
      'Bearer [REDACTED] and [REDACTED]',
    );
  });

  it('ignores values too short to be secrets, and forgets the oldest beyond its limit', () => {
    const known = new KnownSecrets(2);
    known.add('abc');
    for (const value of ['first-secret', 'second-secret', 'third-secret']) known.add(value);
    assert.equal(
      known.redact('abc first-secret second-secret third-secret'),
      'abc first-secret [REDACTED] [REDACTED]',
    );
  });
});
