import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commandEvent } from './command-events.js';
import { byteLength } from './text-tail.js';

const limits = { limitBytes: 1024, secrets: ['t0ken-value'] };

describe('command events (spec: output in both cases)', () => {
  it('puts the whole short output into a Normal event on success', () => {
    const log = { sizeBytes: 22, tail: 'step 1\nIMAGE_URL_DONE\n', truncated: false };
    assert.deepEqual(
      commandEvent({ outcome: 'succeeded', summary: 'image-url-command succeeded', log }, limits),
      {
        type: 'Normal',
        reason: 'ImageURLCommandSucceeded',
        message: 'image-url-command succeeded\n--- output: 22 bytes ---\nstep 1\nIMAGE_URL_DONE\n',
      },
    );
  });

  it('keeps the end of a long output within the limit and says how much was left out', () => {
    const tail = `${'x'.repeat(5000)}\nthe end: disk full\n`;
    const event = commandEvent(
      {
        outcome: 'failed',
        summary: 'image-url-command failed: disk full',
        log: { sizeBytes: 900_000, tail, truncated: true },
      },
      limits,
    );
    assert.equal(event.type, 'Warning');
    assert.equal(event.reason, 'ImageURLCommandFailed');
    assert.ok(byteLength(event.message) <= 1024, `${byteLength(event.message)} bytes`);
    assert.match(
      event.message,
      /^image-url-command failed: disk full\n--- output: last \d+ of 900000 bytes ---\n/,
    );
    assert.ok(event.message.endsWith('the end: disk full\n'));
  });

  it('redacts the registry token even if a port let it through', () => {
    const log = { sizeBytes: 30, tail: 'auth t0ken-value ok\n', truncated: false };
    const event = commandEvent({ outcome: 'failed', summary: 'failed with t0ken-value', log }, limits);
    assert.doesNotMatch(event.message, /t0ken-value/);
    assert.match(event.message, /\[REDACTED\]/);
  });

  it('says why output is missing after a timeout with an unreachable rescue system', () => {
    const event = commandEvent(
      {
        outcome: 'timed-out',
        summary: 'image URL command timed out, in this state since 8m0s',
        unavailable: 'SSH_UNREACHABLE',
      },
      limits,
    );
    assert.equal(event.type, 'Warning');
    assert.equal(
      event.message,
      'image URL command timed out, in this state since 8m0s\n--- output unavailable: SSH_UNREACHABLE ---',
    );
  });

  it('never cuts a multi-byte character in half', () => {
    const tail = '€'.repeat(2000);
    const event = commandEvent(
      { outcome: 'failed', summary: 's', log: { sizeBytes: 6000, tail, truncated: false } },
      limits,
    );
    assert.ok(!event.message.includes('\uFFFD'));
    assert.ok(byteLength(event.message) <= 1024);
  });
});
