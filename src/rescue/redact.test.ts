import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactText, redactWindow, redactionLead } from './redact.js';

describe('redaction', () => {
  const token = `tok'"$(x)\`;|& ü€\nend`;
  const cases: [string, string, readonly string[], string][] = [
    ['a secret anywhere', `auth=${token}!`, [token], 'auth=[REDACTED]!'],
    ['every occurrence', `${token}-${token}`, [token], '[REDACTED]-[REDACTED]'],
    ['overlapping secrets as one', 'abcdef', ['abcd', 'cdef'], '[REDACTED]'],
    ['an empty secret is ignored', 'text', ['', 'zzz'], 'text'],
    ['no secrets', 'plain text', [], 'plain text'],
    ['bearer credentials', 'Authorization: Bearer eyJhbGciOi.x-y_z', [], 'Authorization: Bearer [REDACTED]'],
    ['basic credentials', 'authorization: basic dXNlcjpwYXNz', [], 'authorization: basic [REDACTED]'],
    ['URL passwords', 'GET https://user:s3cret@example.com/x', [], 'GET https://[REDACTED]@example.com/x'],
    [
      'a URL without a password stays',
      'oci://example.com/yourimage:v1',
      [],
      'oci://example.com/yourimage:v1',
    ],
    ['the word Bearer alone stays', 'Bearer of news', [], 'Bearer of news'],
  ];
  for (const [name, text, secrets, expected] of cases) {
    it(`redacts ${name}`, () => {
      assert.equal(redactText(text, secrets), expected);
    });
  }

  it('never returns part of a secret that straddles the start of a window', () => {
    const secret = 'SECRET-VALUE-1234';
    const data = Buffer.from(`xxxxx${secret}yyyy`);
    for (let keepFrom = 0; keepFrom <= data.length; keepFrom++) {
      const lead = redactionLead([secret]);
      const windowStart = Math.max(0, keepFrom - lead);
      const text = redactWindow(data.subarray(windowStart), keepFrom - windowStart, [secret]);
      for (let n = 4; n <= secret.length; n++) {
        for (let at = 0; at + n <= secret.length; at++) {
          assert.ok(
            !text.includes(secret.slice(at, at + n)),
            `keepFrom ${keepFrom}: ${JSON.stringify(text)}`,
          );
        }
      }
    }
  });

  it('drops a multi-byte character cut by the start of a window', () => {
    const data = Buffer.from('€uro');
    assert.equal(redactWindow(data, 1, []), 'uro');
  });

  it('needs as much lead as the longest secret minus one byte', () => {
    assert.equal(redactionLead(['ab', 'ü€']), 4);
    assert.equal(redactionLead([]), 0);
  });
});
