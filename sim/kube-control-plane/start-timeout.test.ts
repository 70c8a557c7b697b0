import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_START_TIMEOUT_MS, startTimeoutMs } from './start-timeout.js';

describe('startTimeoutMs', () => {
  it('defaults when KUBEBUILDER_CONTROLPLANE_START_TIMEOUT is unset or empty', () => {
    assert.equal(startTimeoutMs({}), DEFAULT_START_TIMEOUT_MS);
    assert.equal(startTimeoutMs({ KUBEBUILDER_CONTROLPLANE_START_TIMEOUT: ' ' }), DEFAULT_START_TIMEOUT_MS);
  });

  it('reads Go-style durations and plain seconds', () => {
    const read = (value: string): number => startTimeoutMs({ KUBEBUILDER_CONTROLPLANE_START_TIMEOUT: value });
    assert.equal(read('90s'), 90_000);
    assert.equal(read('2m'), 120_000);
    assert.equal(read('1500ms'), 1_500);
    assert.equal(read('45'), 45_000);
    assert.equal(read('0.5s'), 500);
  });

  it('rejects what it cannot read, naming the variable', () => {
    for (const value of ['soon', '0s', '1h', '-5s']) {
      assert.throws(
        () => startTimeoutMs({ KUBEBUILDER_CONTROLPLANE_START_TIMEOUT: value }),
        /KUBEBUILDER_CONTROLPLANE_START_TIMEOUT=.* is not a duration/,
      );
    }
  });
});
