import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPortCollision, outputTail, retryOnPortCollision } from './readiness.js';

describe('readiness helpers', () => {
  it('keeps the last lines of output and marks the cut', () => {
    const text = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const tail = outputTail(text, 3);
    assert.equal(tail, '…\nline 47\nline 48\nline 49');
    assert.equal(outputTail('a\nb\n', 3), 'a\nb');
    assert.equal(outputTail(''), '(no output)');
  });

  it('recognises a port taken between choosing and binding it', () => {
    assert.ok(isPortCollision(new Error('listen tcp 127.0.0.1:4001: bind: address already in use')));
    assert.ok(!isPortCollision(new Error('connection refused')));
    assert.ok(!isPortCollision('address already in use'));
  });

  it('retries exactly once, and only on a port collision', async () => {
    let calls = 0;
    const collideOnce = async (): Promise<string> => {
      calls += 1;
      if (calls === 1) throw new Error('bind: address already in use');
      return Promise.resolve('started');
    };
    assert.equal(await retryOnPortCollision(collideOnce), 'started');
    assert.equal(calls, 2);

    calls = 0;
    const alwaysCollide = async (): Promise<string> => {
      calls += 1;
      return Promise.reject(new Error('bind: address already in use'));
    };
    await assert.rejects(retryOnPortCollision(alwaysCollide), /address already in use/);
    assert.equal(calls, 2);

    calls = 0;
    const otherFailure = async (): Promise<string> => {
      calls += 1;
      return Promise.reject(new Error('exited (code 1)'));
    };
    await assert.rejects(retryOnPortCollision(otherFailure), /code 1/);
    assert.equal(calls, 1);
  });
});
