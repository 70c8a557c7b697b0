import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BareMetalFixture,
  provisioningRequest,
  registryToken,
  rescueFingerprint,
  serverNumber,
  wwns,
} from '../../test/fixtures/baremetal-fixture.js';

describe('bare-metal host flow (image-url command)', () => {
  it('passes every state once, installs with the spec arguments and ends provisioned', async () => {
    const fx = new BareMetalFixture();
    await fx.runUntil('provisioned');

    assert.deepEqual(
      fx.transitions.map((t) => [t.from, t.to]),
      [
        ['', 'preparing'],
        ['preparing', 'registering'],
        ['registering', 'image-installing'],
        ['image-installing', 'ensure-provisioned'],
        ['ensure-provisioned', 'provisioned'],
      ],
    );
    const [start, ...more] = fx.rescue.starts();
    assert.ok(start);
    assert.equal(more.length, 0, 'the command ran once');
    assert.equal(start.imageUrl, 'oci://example.com/yourimage:v1');
    assert.equal(start.bootstrapData, '#cloud-config\n');
    assert.equal(start.machineName, 'bm-my-machine');
    assert.deepEqual(start.rootDevices, ['sda']);
    assert.equal(start.registryToken, registryToken);
    assert.equal(fx.status.ipv4, fx.server.ipv4);
    assert.equal(fx.status.ipv6, `2001:db8:${serverNumber}::1`);
    assert.deepEqual(fx.status.sshStatus?.rescueKey, { name: 'rescue', fingerprint: rescueFingerprint });
    assert.equal(fx.status.hardwareDetails?.storage?.length, 2);
    assert.equal(fx.condition()?.status, 'True');
    assert.equal(fx.condition()?.reason, 'Provisioned');
    assert.equal(fx.server.name, 'bm-my-machine', 'Robot names the server after the machine');
    assert.equal(fx.host()?.hostname, 'bm-my-machine', 'the installed OS answers with the machine name');
    assert.equal(fx.status.rescueHostKey, undefined);
    assert.equal(fx.status.imageUrlCommandStartedAt, undefined);
    assert.equal(fx.status.errorType, undefined);
  });

  it('passes two RAID disks as `sda sdb` with swraid 1, and as WWNs with deviceStringType wwn', async () => {
    const raid = { raid: { wwn: [wwns.sdb, wwns.sda] } };
    const short = new BareMetalFixture({
      input: { rootDeviceHints: raid, request: provisioningRequest({ swraid: 1 }) },
    });
    await short.runUntil('provisioned');
    assert.deepEqual(short.rescue.starts()[0]?.rootDevices, ['sda', 'sdb'], 'kernel names in lsblk order');

    const wwn = new BareMetalFixture({
      input: { rootDeviceHints: raid, request: provisioningRequest({ swraid: 1, deviceStringType: 'wwn' }) },
    });
    await wwn.runUntil('provisioned');
    assert.deepEqual(wwn.rescue.starts()[0]?.rootDevices, [wwns.sdb, wwns.sda], 'WWNs in hint order');
  });
});
