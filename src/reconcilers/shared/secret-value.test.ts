import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KnownSecrets } from '../../util/known-secrets.js';
import { secretValue } from './secret-value.js';

const secret = (data: Record<string, string>): Parameters<typeof secretValue>[0] => ({
  metadata: { name: 's', namespace: 'n' },
  data: Object.fromEntries(
    Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
  ),
});

describe('secretValue', () => {
  it('decodes a key and tells the process redactor, so the value never reaches a log line', () => {
    const known = new KnownSecrets();
    assert.deepEqual(secretValue(secret({ hcloud: 'hcloud-token-0123456789' }), 'hcloud', known), {
      kind: 'found',
      value: 'hcloud-token-0123456789',
    });
    assert.equal(
      known.redact('request with hcloud-token-0123456789 refused'),
      'request with [REDACTED] refused',
    );
  });

  it('tells missing Secrets from empty values', () => {
    const known = new KnownSecrets();
    assert.deepEqual(secretValue(undefined, 'hcloud', known), { kind: 'missing' });
    assert.deepEqual(secretValue(secret({ hcloud: '  ' }), 'hcloud', known), { kind: 'empty' });
    assert.deepEqual(secretValue(secret({}), 'hcloud', known), { kind: 'empty' });
  });
});
