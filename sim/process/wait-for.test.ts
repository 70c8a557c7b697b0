import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from './wait-for.js';

describe('waitFor', () => {
  it('returns the first value the probe produces', async () => {
    let calls = 0;
    const value = await waitFor(() => Promise.resolve(++calls < 3 ? undefined : 'ready'), {
      deadlineMs: 5_000,
      description: 'the third call',
    });
    assert.equal(value, 'ready');
    assert.equal(calls, 3);
  });

  it('fails after the deadline naming the condition and the last error', async () => {
    await assert.rejects(
      waitFor(() => Promise.reject(new Error('connection refused')), {
        deadlineMs: 50,
        description: 'the apiserver',
      }),
      /timed out after 50 ms waiting for the apiserver: connection refused/,
    );
  });
});
