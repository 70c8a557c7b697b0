import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CreateServerInput } from '../ports/cloud-servers.js';
import { ProvisioningFixture, type InputOverrides } from '../../test/fixtures/provisioning-fixture.js';

/** An imageName machine: no imageURL, no command, no rescue key (CAPH needs none for it). */
const imageNameInput: InputOverrides = {
  imageUrl: '',
  commandName: '',
  imageName: 'ubuntu-24.04',
  rescueKey: { status: 'secret-ref-not-configured' },
  registryToken: undefined,
};

function fixture(input: InputOverrides = {}): ProvisioningFixture {
  return new ProvisioningFixture({ input: { ...imageNameInput, ...input } });
}

describe('the imageName flow (server from an image, bootstrap data as user data)', () => {
  it('creates the server started from the image id with the user data, then goes "" → BootingToRealOS → OperatingSystemRunning', async () => {
    const fx = fixture({ bootstrapData: '#cloud-config\nhostname: n1\n' });
    await fx.runUntil('OperatingSystemRunning');
    assert.deepEqual(
      fx.transitions.map((t) => `${t.from}→${t.to}`),
      ['→BootingToRealOS', 'BootingToRealOS→OperatingSystemRunning'],
    );
    const created = fx.server()?.created as CreateServerInput;
    assert.equal(created.image, 5003);
    assert.equal(created.userData, '#cloud-config\nhostname: n1\n');
    assert.equal(created.startAfterCreate, true);
    assert.deepEqual(created.labels, fx.input.labels);
    assert.equal(fx.cloud.count('enableRescue'), 0, 'no rescue system');
    assert.equal(fx.status.ready, true);
    assert.match(fx.status.providerID ?? '', /^hcloud:\/\/\d+$/);
    assert.equal(fx.condition('ServerProvisioned')?.status, 'True');
    assert.equal(fx.condition('SSHPrivateKeyAvailable'), undefined, 'the rescue key is not needed');
  });

  it('finds a snapshot by its caph-image-name label', async () => {
    const fx = fixture({ imageName: 'node-v1' });
    fx.cloud.images.push({
      id: 77,
      description: 'node',
      type: 'snapshot',
      labels: { 'caph-image-name': 'node-v1' },
      rapidDeploy: false,
    });
    const outcome = await fx.runUntil('BootingToRealOS');
    assert.equal((fx.server()?.created as CreateServerInput).image, 77);
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 140_000 }, 'a snapshot takes minutes (CAPH)');
  });

  it('an unknown image name creates no server: ImageNotFound names the field, the value and what exists', async () => {
    const fx = fixture({ imageName: 'ubuntu-22.04' });
    await fx.step(); // records the intent
    const outcome = await fx.step();
    assert.equal(fx.cloud.count('createServer'), 0);
    assert.deepEqual(outcome.requeue, { kind: 'after', ms: 5 * 60_000 });
    const condition = fx.condition('ServerCreated') ?? assert.fail('no ServerCreated condition');
    assert.equal(condition.status, 'False');
    assert.equal(condition.reason, 'ImageNotFound');
    assert.match(
      condition.message,
      /^spec\.imageName "ubuntu-22\.04": .*there are: ubuntu-24\.04 \(system 5003\)$/,
    );
    assert.equal(fx.events.withReason('ImageNotFound').length, 1);
    fx.clock.advance(6 * 60_000 + 1);
    await fx.step();
    assert.equal(fx.status.bootState, 'ProvisioningFailed', 'the unset state times out as in CAPH');
  });

  it('two images with the name create no server: ImageAmbiguous', async () => {
    const fx = fixture();
    fx.cloud.images.push({
      id: 78,
      description: 'mine',
      type: 'snapshot',
      labels: { 'caph-image-name': 'ubuntu-24.04' },
      rapidDeploy: false,
    });
    await fx.step();
    await fx.step();
    assert.equal(fx.cloud.count('createServer'), 0);
    assert.equal(fx.condition('ServerCreated')?.reason, 'ImageAmbiguous');
    assert.equal(fx.events.withReason('ImageNameAmbiguous').length, 1);
  });

  it('bootstrap data over 32 KiB stops before any server with a clear condition, never showing the data', async () => {
    const secret = 'TOKEN-abc123';
    const fx = fixture({ bootstrapData: `#cloud-config\n# ${secret}\n${'x'.repeat(32 * 1024)}` });
    await fx.step();
    const outcome = await fx.step();
    assert.equal(outcome.result, 'blocked');
    assert.equal(fx.cloud.count('createServer'), 0);
    const condition = fx.condition('ServerCreated') ?? assert.fail('no ServerCreated condition');
    assert.equal(condition.reason, 'CreationFailedIrrecoverably');
    assert.match(condition.message, /is 32797 bytes; Hetzner Cloud accepts at most 32768 bytes of user data/);
    assert.ok(!JSON.stringify(fx.status).includes(secret));
  });

  it('after a restart, adopts its own server by name and boots it without rescue', async () => {
    const fx = fixture();
    await fx.step(); // records the intent
    await fx.step({ persist: false }); // creates, but the status write is lost
    fx.restart();
    await fx.runUntil('OperatingSystemRunning');
    assert.equal(fx.cloud.count('createServer'), 2, 'the second create met uniqueness_error');
    assert.equal(fx.cloud.servers.size, 1);
    assert.equal(fx.events.withReason('AdoptedExistingServer').length, 1);
    assert.equal(fx.cloud.count('enableRescue'), 0);
  });

  it('deletes its server', async () => {
    const fx = fixture();
    await fx.runUntil('OperatingSystemRunning');
    for (let i = 0; i < 10 && fx.cloud.servers.size > 0; i += 1) fx.waitAsAsked(await fx.deleteStep());
    assert.equal(fx.cloud.servers.size, 0);
  });
});
