import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checks } from './checks.js';
import {
  newFailures,
  renderConditions,
  type PreviousConditions,
  type RenderedConditions,
} from './conditions.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:05:00Z');

/** What the status holds after a reconcile wrote `rendered`. */
const stored = (rendered: RenderedConditions): PreviousConditions => ({
  conditions: rendered.conditions,
  v1beta2: { conditions: rendered.v1beta2 },
});

describe('HetznerCluster conditions', () => {
  it('is Ready when every gating check is True, whatever the endpoint says', () => {
    const rendered = renderConditions(
      [checks.tokenAvailable(), checks.sshKeysAvailable(), checks.endpointNotSet('no endpoint')],
      undefined,
      { now: T0, generation: 3 },
    );
    assert.equal(rendered.ready, true);
    assert.deepEqual(rendered.conditions[0], {
      type: 'Ready',
      status: 'True',
      lastTransitionTime: T0.toISOString(),
    });
    assert.deepEqual(
      rendered.conditions.map((c) => `${c.type}=${c.status}`),
      [
        'Ready=True',
        'ControlPlaneEndpointSet=False',
        'HCloudSSHKeysAvailable=True',
        'HCloudTokenAvailable=True',
      ],
    );
    const endpoint = rendered.v1beta2.find((c) => c.type === 'ControlPlaneEndpointSet');
    assert.deepEqual([endpoint?.reason, endpoint?.observedGeneration], ['NotSet', 3]);
  });

  it('summarises the first failing check in priority order, in both condition versions', () => {
    const rendered = renderConditions(
      [checks.secretUnreachable('Secret ns/hcloud not found'), checks.sshKeysUnchecked('no token yet')],
      undefined,
      { now: T0 },
    );
    assert.equal(rendered.ready, false);
    assert.deepEqual(rendered.conditions[0], {
      type: 'Ready',
      status: 'False',
      severity: 'Error',
      reason: 'HetznerSecretUnreachable',
      message: 'Secret ns/hcloud not found',
      lastTransitionTime: T0.toISOString(),
    });
    const ready = rendered.v1beta2[0];
    assert.equal(ready?.reason, 'NotReady');
    assert.equal(ready.message, 'HCloudTokenAvailable: Secret ns/hcloud not found');
    const token = rendered.v1beta2.find((c) => c.type === 'HCloudTokenAvailable');
    assert.equal(token?.reason, 'SecretUnreachable');
  });

  it('keeps lastTransitionTime while the status stays, and moves it when the status changes', () => {
    const first = renderConditions([checks.tokenAvailable(), checks.sshKeysNotFound('missing')], undefined, {
      now: T0,
    });
    const again = renderConditions([checks.tokenAvailable(), checks.sshKeysAvailable()], stored(first), {
      now: T1,
    });
    const at = (list: { type: string; lastTransitionTime: string }[], type: string): string | undefined =>
      list.find((c) => c.type === type)?.lastTransitionTime;
    assert.equal(at(again.conditions, 'HCloudTokenAvailable'), T0.toISOString());
    assert.equal(at(again.conditions, 'HCloudSSHKeysAvailable'), T1.toISOString());
    assert.equal(at(again.conditions, 'Ready'), T1.toISOString());
    assert.equal(at(again.v1beta2, 'HCloudTokenAvailable'), T0.toISOString());
    assert.equal(at(again.v1beta2, 'HCloudSSHKeysAvailable'), T1.toISOString());
  });

  it('shows rate limiting as HetznerAPIReachable False and v1beta2 HCloudRateLimitExceeded True', () => {
    const limited = renderConditions([checks.tokenAvailable(), checks.rateLimited('slow down')], undefined, {
      now: T0,
    });
    assert.equal(
      limited.conditions.find((c) => c.type === 'HetznerAPIReachable')?.reason,
      'RateLimitExceeded',
    );
    assert.equal(limited.v1beta2.find((c) => c.type === 'HCloudRateLimitExceeded')?.status, 'True');
    const fine = renderConditions([checks.tokenAvailable(), checks.apiReachable()], stored(limited), {
      now: T1,
    });
    assert.equal(
      fine.v1beta2.find((c) => c.type === 'HCloudRateLimitExceeded'),
      undefined,
      'dropped again',
    );
  });

  it('reports a failure once: again only when its reason or message changes', () => {
    const failing = [checks.tokenAvailable(), checks.sshKeysNotFound('key "a" missing')];
    const first = renderConditions(failing, undefined, { now: T0 });
    assert.deepEqual(
      newFailures(failing, undefined).map((c) => c.reason),
      ['SSHKeyNotFound'],
    );
    assert.deepEqual(newFailures(failing, first.conditions), []);
    const other = [checks.tokenAvailable(), checks.sshKeysNotFound('key "b" missing')];
    assert.equal(newFailures(other, first.conditions).length, 1);
    assert.deepEqual(newFailures([checks.endpointNotSet('x')], undefined), [], 'the endpoint never warns');
  });
});
