import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/kube/index.js';
import { parseRuntimeFlags } from './runtime-flags.js';

describe('parseRuntimeFlags', () => {
  it('has defaults for everything', () => {
    const options = parseRuntimeFlags([], {});
    assert.equal(options.leaderElect, false);
    assert.equal(options.leaseDurationMs, 15_000);
    assert.equal(options.renewDeadlineMs, 10_000);
    assert.equal(options.retryPeriodMs, 2_000);
    assert.equal(options.concurrency, 4);
    assert.equal(options.metricsBindAddress, '127.0.0.1:8080');
    assert.equal(options.healthProbeBindAddress, '127.0.0.1:8081');
    assert.equal(options.namespace, undefined);
    assert.equal(options.readyRequiresLeadership, false, 'standbys are ready: rolling updates finish');
  });

  it('turns --ready-requires-leadership on and off by flag, its --no- form or the environment', () => {
    assert.equal(parseRuntimeFlags(['--ready-requires-leadership'], {}).readyRequiresLeadership, true);
    const env = { IMAGEURL_READY_REQUIRES_LEADERSHIP: 'true' };
    assert.equal(parseRuntimeFlags([], env).readyRequiresLeadership, true);
    assert.equal(parseRuntimeFlags(['--no-ready-requires-leadership'], env).readyRequiresLeadership, false);
    assert.throws(
      () => parseRuntimeFlags([], { IMAGEURL_READY_REQUIRES_LEADERSHIP: 'maybe' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.code === 'CONFIG_INVALID_ENV' &&
        error.message ===
          'IMAGEURL_READY_REQUIRES_LEADERSHIP: invalid value "maybe"; allowed: true or false (also 1, 0, t, f)',
    );
  });

  it('takes flags over the environment over defaults', () => {
    const env = { IMAGEURL_CONCURRENCY: '8', IMAGEURL_LEADER_ELECT: 'true', IMAGEURL_NAMESPACE: 'from-env' };
    const options = parseRuntimeFlags(['--namespace', 'from-flag', '--sync-period=1m'], env);
    assert.equal(options.namespace, 'from-flag');
    assert.equal(options.concurrency, 8);
    assert.equal(options.leaderElect, true);
    assert.equal(options.syncPeriodMs, 60_000);
  });

  it('names the flag, the value and what is allowed', () => {
    assert.throws(
      () => parseRuntimeFlags(['--concurrency', 'many'], {}),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.code === 'CONFIG_INVALID_FLAG' &&
        error.message === '--concurrency: invalid value "many"; allowed: an integer from 1 to 1000',
    );
    assert.throws(
      () => parseRuntimeFlags([], { IMAGEURL_LOG_LEVEL: 'loud' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.code === 'CONFIG_INVALID_ENV' &&
        /IMAGEURL_LOG_LEVEL/.test(error.message),
    );
    assert.throws(() => parseRuntimeFlags(['--metrics-bind-address', 'nowhere'], {}), /host:port/);
  });

  it('rejects unknown flags and inconsistent election timings', () => {
    assert.throws(
      () => parseRuntimeFlags(['--bogus'], {}),
      (error: unknown) => error instanceof ConfigError,
    );
    assert.throws(
      () =>
        parseRuntimeFlags(['--leader-elect-lease-duration', '5s', '--leader-elect-renew-deadline', '5s'], {}),
      /renew-deadline must be shorter/,
    );
  });
});
