import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvisioningFixture, registryToken } from '../../test/fixtures/provisioning-fixture.js';

describe('provisioning flow', () => {
  it('passes every boot state once and ends ready with providerID and addresses', async () => {
    const fx = new ProvisioningFixture();
    await fx.runUntil('OperatingSystemRunning');

    assert.deepEqual(
      fx.transitions.map((t) => [t.from, t.to]),
      [
        ['', 'Initializing'],
        ['Initializing', 'EnablingRescue'],
        ['EnablingRescue', 'BootingToRescue'],
        ['BootingToRescue', 'RunningImageCommand'],
        ['RunningImageCommand', 'BootingToRealOS'],
        ['BootingToRealOS', 'OperatingSystemRunning'],
      ],
    );
    const server = fx.server();
    assert.ok(server);
    assert.equal(fx.status.providerID, `hcloud://${server.id}`);
    assert.equal(fx.status.ready, true);
    assert.deepEqual(fx.status.addresses, [
      { type: 'ExternalIP', address: '198.51.100.1' },
      { type: 'ExternalIP', address: '2001:db8:0:1::1' },
    ]);
    assert.deepEqual(fx.status.externalIDs, { actionIdCreateServer: 0, actionIdEnableRescueSystem: 0 });
    assert.equal(fx.condition('ServerProvisioned')?.status, 'True');
    assert.equal(fx.condition('ServerAvailable')?.status, 'True');
    assert.equal(fx.condition('HCloudTokenAvailable')?.status, 'True');
    assert.equal(fx.status.rescueHostKey, undefined, 'the rescue pin is forgotten after the reboot');
  });

  it('creates the server powered off from the base image and starts the command exactly once with the spec arguments', async () => {
    const fx = new ProvisioningFixture();
    await fx.runUntil('OperatingSystemRunning');

    const created = fx.server()?.created;
    assert.ok(created);
    assert.equal(created.image, 'ubuntu-24.04');
    assert.equal(created.serverType, 'cpx22');
    assert.deepEqual(created.sshKeys, ['ssh-key-1']);
    assert.equal(fx.cloud.count('createServer'), 1);
    const [start, ...more] = fx.rescue.starts();
    assert.ok(start);
    assert.equal(more.length, 0);
    assert.equal(start.imageUrl, 'oci://example.com/yourimage:v1');
    assert.equal(start.machineName, 'my-machine');
    assert.deepEqual(start.rootDevices, ['sda']);
    assert.equal(start.registryToken, registryToken);
    assert.equal(start.bootstrapData, '#cloud-config\n');
  });

  it('calls GetServer at most once and the Hetzner API at most 8 times', async () => {
    const fx = new ProvisioningFixture();
    await fx.runUntil('OperatingSystemRunning');
    assert.ok(fx.cloud.count('getServer') <= 1, `getServer ${fx.cloud.count('getServer')}`);
    assert.ok(fx.cloud.count() <= 8, fx.cloud.calls.map((call) => call.method).join(', '));
  });

  it('reboots the rescue system once, into the installed disk', async () => {
    const fx = new ProvisioningFixture();
    await fx.runUntil('OperatingSystemRunning');
    assert.deepEqual(
      fx.rescue.boots.map((boot) => [boot.system, boot.rebooted]),
      [
        ['rescue', true],
        ['disk', false],
      ],
    );
  });

  it('emits a Normal event with the command output on success', async () => {
    const fx = new ProvisioningFixture();
    await fx.runUntil('OperatingSystemRunning');
    const [event, ...more] = fx.events.withReason('ImageURLCommandSucceeded');
    assert.equal(more.length, 0);
    assert.ok(event);
    assert.equal(event.type, 'Normal');
    assert.match(event.message, /writing disk\nIMAGE_URL_DONE/);
    assert.equal(fx.events.withReason('SuccessfulCreate').length, 1);
  });

  it('reports each transition once with the time spent in the old state', async () => {
    const fx = new ProvisioningFixture();
    await fx.runUntil('OperatingSystemRunning');
    const initializing = fx.transitions.find((t) => t.from === 'Initializing');
    assert.ok(initializing && initializing.durationMs >= 500, JSON.stringify(initializing));
    assert.equal(new Set(fx.transitions.map((t) => t.from)).size, fx.transitions.length);
  });
});
