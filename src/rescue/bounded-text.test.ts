import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BoundedText } from './bounded-text.js';
import { redactText } from './redact.js';

describe('BoundedText', () => {
  it('keeps output under the limit as it is', () => {
    const text = new BoundedText(64);
    text.add(Buffer.from('one\n'));
    text.add(Buffer.from('two'));
    assert.equal(text.text(), 'one\ntwo');
  });

  it('drops the partial last line when it cuts, so a secret across the cut never leaves a prefix', () => {
    const secret = 'registry-5ecr3t-t0ken';
    const text = new BoundedText(20);
    text.add(Buffer.from(`first line\ntoken ${secret}\n`));
    const kept = redactText(text.text(), [secret]);
    assert.equal(kept, 'first line\n[output cut after 20 bytes]\n');
    assert.ok(!kept.includes('registry'), kept);
  });
});
