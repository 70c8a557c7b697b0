import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { examples } from '../../../api/v1beta1/index.js';
import { CloudError } from '../../ports/cloud-errors.js';
import type { CloudSshKey, CloudSshKeys } from '../../ports/cloud-ssh-keys.js';
import { SshKeyChecker, type SshKeyCheckInput } from './ssh-key-check.js';
import type { HetznerClusterObject } from './types.js';

/** A project whose key list (or failure) the test sets, counting the calls. */
class FakeProject implements CloudSshKeys {
  calls = 0;
  answer: readonly CloudSshKey[] | CloudError = [];

  listSshKeys(): Promise<readonly CloudSshKey[]> {
    this.calls += 1;
    return this.answer instanceof CloudError ? Promise.reject(this.answer) : Promise.resolve(this.answer);
  }
}

const key = (name: string): CloudSshKey => ({ id: name.length, name, fingerprint: 'aa:bb' });

function input(names: string[], generation = 1, tokenVersion = '1'): SshKeyCheckInput {
  const object = structuredClone(examples.hetznerCluster) as unknown as HetznerClusterObject;
  object.metadata = { name: 'c', namespace: 'ns', uid: 'uid-1', generation };
  object.spec.sshKeys = { hcloud: names.map((name) => ({ name })) };
  return { object, token: 't0ken', tokenSource: { secret: 'ns/hcloud', key: 'hcloud' }, tokenVersion };
}

function setup(): { project: FakeProject; checker: SshKeyChecker; clock: { at: number } } {
  const project = new FakeProject();
  const clock = { at: 0 };
  const checker = new SshKeyChecker(
    { sshKeysFor: () => project, clock: { now: () => new Date(clock.at) } },
    { verifiedForMs: 1000, notFoundRetryMs: 100, rateLimitWaitMs: 500 },
  );
  return { project, checker, clock };
}

const statuses = (result: Awaited<ReturnType<SshKeyChecker['check']>>): string[] =>
  result.checks.map((c) => `${c.type}=${c.status}${c.reason ? `/${c.reason}` : ''}`);

describe('SSH key check', () => {
  it('lists the keys once and trusts the answer for the same spec and Secret', async () => {
    const { project, checker, clock } = setup();
    project.answer = [key('a'), key('b')];
    assert.deepEqual(statuses(await checker.check(input(['a', 'b']))), [
      'HetznerAPIReachable=True',
      'HCloudSSHKeysAvailable=True',
    ]);
    clock.at = 999;
    await checker.check(input(['a', 'b']));
    assert.equal(project.calls, 1, 'remembered');
    await checker.check(input(['a', 'b'], 2));
    assert.equal(project.calls, 2, 'a new generation looks again');
    await checker.check(input(['a', 'b'], 2, '2'));
    assert.equal(project.calls, 3, 'a changed token looks again');
  });

  it('names every missing key with its field and comes back after notFoundRetryMs', async () => {
    const { project, checker, clock } = setup();
    project.answer = [key('b')];
    const result = await checker.check(input(['a', 'b', 'c']));
    assert.equal(result.requeueAfterMs, 100);
    assert.equal(
      result.checks[1]?.message,
      'SSH keys "a" (spec.sshKeys.hcloud[0].name), "c" (spec.sshKeys.hcloud[2].name) do not exist in the Hetzner Cloud project',
    );
    clock.at = 50;
    assert.equal((await checker.check(input(['a', 'b', 'c']))).requeueAfterMs, 50);
    assert.equal(project.calls, 1);
    clock.at = 100;
    await checker.check(input(['a', 'b', 'c']));
    assert.equal(project.calls, 2);
  });

  it('turns a refused token into HCloudCredentialsInvalid naming the Secret, without the token', async () => {
    const { project, checker } = setup();
    project.answer = new CloudError('unauthorized', 'hcloud listSshKeys: unable to authenticate');
    const result = await checker.check(input(['a']));
    assert.deepEqual(statuses(result), [
      'HCloudTokenAvailable=False/HCloudCredentialsInvalid',
      'HetznerAPIReachable=True',
      'HCloudSSHKeysAvailable=Unknown/WaitingForHCloudToken',
    ]);
    assert.match(result.checks[0]?.message ?? '', /Secret ns\/hcloud key "hcloud" \(unauthorized\)/);
    assert.ok(!JSON.stringify(result).includes('t0ken'));
    assert.equal(result.requeueAfterMs, undefined, 'a new token comes with a Secret event');
  });

  it('waits out a rate limit, and retries other API failures with backoff', async () => {
    const { project, checker } = setup();
    project.answer = new CloudError('rate_limit_exceeded', 'limited', { retryAfterMs: 2000 });
    const limited = await checker.check(input(['a']));
    assert.equal(limited.requeueAfterMs, 2000);
    assert.equal(limited.checks[0]?.reason, 'RateLimitExceeded');

    const other = setup();
    other.project.answer = new CloudError('server_error', 'hcloud listSshKeys: 503');
    const failed = await other.checker.check(input(['a']));
    assert.equal(failed.retry, true);
    assert.deepEqual(statuses(failed), ['HCloudSSHKeysAvailable=Unknown/HetznerAPIUnavailable']);
    await other.checker.check(input(['a']));
    assert.equal(other.project.calls, 2, 'failures are not remembered');
  });
});
