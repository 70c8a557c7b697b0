import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture } from '../../test/fixtures/provisioning-fixture.js';

/** A fresh machine whose last API call hit the rate limit `msAgo` ago. */
function rateLimited(msAgo: number): ProvisioningFixture {
  const fx = new ProvisioningFixture();
  const lastTransitionTime = new Date(fx.clock.now().getTime() - msAgo);
  const limited = { status: 'True', reason: 'Exceeded', message: '', lastTransitionTime } as const;
  fx.status = { ...fx.status, conditions: { HCloudRateLimitExceeded: limited } };
  return fx;
}

describe('hcloud boot machine', () => {
  it('adds what the gates and the cloud calls saw to the result: bootstrap ready, rate limit over, token works', async () => {
    const fx = rateLimited(6 * 60_000);
    await fx.runUntil('Initializing');
    assert.deepEqual(
      (['BootstrapReady', 'HCloudRateLimitExceeded', 'HCloudTokenAvailable'] as const).map((type) => {
        const condition = fx.condition(type);
        return `${type}=${condition?.status ?? '?'}/${condition?.reason ?? '?'}`;
      }),
      [
        'BootstrapReady=True/Ready',
        'HCloudRateLimitExceeded=False/NotExceeded',
        'HCloudTokenAvailable=True/Available',
      ],
    );
  });

  it('makes no API call while the rate limit is waited out, and adds nothing to the wait', async () => {
    const fx = rateLimited(1000);
    const outcome = await fx.step();
    assert.equal(fx.cloud.count(), 0);
    assert.equal(outcome.message, 'Waiting out the hcloud rate limit');
    assert.equal(fx.condition('BootstrapReady'), undefined);
  });
});
