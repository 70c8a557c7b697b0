import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { HcloudSshKeys } from '../../src/hetzner/cloud/ssh-keys.js';
import { isCloudError } from '../../src/ports/cloud-errors.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

/** The CloudSshKeys adapter against the Cloud simulator (docs.hetzner.cloud: pagination, errors). */
describe('hcloud SSH keys contract (Cloud simulator)', () => {
  let env: SimCloudEnv;

  before(async () => {
    env = await startSimCloud();
  });

  after(async () => {
    await env.stop();
  });

  it('lists every key of the project, across pages, with names and fingerprints', async () => {
    const names = Array.from({ length: 53 }, (_, index) => `key-${String(index).padStart(2, '0')}`);
    for (const name of names) {
      const created = await env.api.call('POST', '/ssh_keys', {
        name,
        public_key: generateSshKeyPair(name).publicKey,
      });
      assert.equal(created.status, 201);
    }
    const requests: string[] = [];
    const keys = await new HcloudSshKeys({
      token: env.sim.token,
      endpoint: env.sim.endpoint,
      fetch: (input, init) => {
        requests.push(input instanceof Request ? input.url : input.toString());
        return fetch(input, init);
      },
    }).listSshKeys();
    assert.deepEqual(keys.map((key) => key.name).sort(), names);
    assert.ok(keys.every((key) => /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/.test(key.fingerprint)));
    assert.equal(requests.length, 2, 'two pages of 50');
  });

  it('rejects a wrong token with a CloudError unauthorized that does not carry the token', async () => {
    const token = 'not-the-project-token-1234';
    const error = await new HcloudSshKeys({ token, endpoint: env.sim.endpoint }).listSshKeys().then(
      () => assert.fail('expected a rejection'),
      (caught: unknown) => caught,
    );
    assert.ok(isCloudError(error, 'unauthorized'), String(error));
    assert.ok(!error.message.includes(token));
  });
});
