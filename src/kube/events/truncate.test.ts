import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { microTime } from './micro-time.js';
import { truncateUtf8 } from './truncate.js';

describe('truncateUtf8', () => {
  it('leaves short text alone', () => {
    assert.equal(truncateUtf8('hello', 1024), 'hello');
  });

  it('keeps the head within the byte limit, marker included', () => {
    const text = 'x'.repeat(5000);
    const cut = truncateUtf8(text, 1024);
    assert.ok(Buffer.byteLength(cut) <= 1024);
    assert.match(cut, /^x+…\[truncated \d+ bytes\]$/);
    const kept = cut.indexOf('…');
    assert.equal(Number(/truncated (\d+)/.exec(cut)?.[1]), 5000 - kept);
  });

  it('keeps the tail for command output and never splits a character', () => {
    const text = `start ${'ü'.repeat(3000)} IMAGE_URL_DONE`;
    const cut = truncateUtf8(text, 1024, 'tail');
    assert.ok(Buffer.byteLength(cut) <= 1024);
    assert.match(cut, /^\[truncated \d+ bytes\]…ü+ IMAGE_URL_DONE$/);
    assert.ok(!cut.includes('\uFFFD'));
  });
});

describe('microTime', () => {
  it('writes exactly six fractional digits', () => {
    assert.equal(microTime(new Date('2026-01-02T03:04:05.678Z')), '2026-01-02T03:04:05.678000Z');
  });
});
