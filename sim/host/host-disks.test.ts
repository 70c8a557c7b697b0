import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HostDisks } from './host-disks.js';

const MiB = 1024 * 1024;

describe('HostDisks', () => {
  it('derives stable, distinct WWNs and serials from host and disk names', () => {
    const one = new HostDisks('server-1', '/tmp/x', [
      { name: 'sda', sizeBytes: MiB },
      { name: 'sdb', sizeBytes: MiB },
    ]);
    const again = new HostDisks('server-1', '/tmp/y', [{ name: 'sda', sizeBytes: MiB }]);
    const [sda, sdb] = one.specs;
    assert.equal(sda?.wwn, again.specs[0]?.wwn);
    assert.notEqual(sda?.wwn, sdb?.wwn);
    assert.match(sda?.wwn ?? '', /^0x5000c500[0-9a-f]{8}$/);
    assert.match(sda?.serial ?? '', /^SIM[0-9A-F]{10}$/);
  });

  it('keeps identities that are given', () => {
    const disks = new HostDisks('h', '/tmp/x', [
      { name: 'nvme0n1', sizeBytes: MiB, wwn: 'eui.0025388801b4dff2', serial: 'S1' },
    ]);
    const [disk] = disks.specs;
    assert.ok(disk);
    assert.equal(disk.wwn, 'eui.0025388801b4dff2');
    assert.equal(disk.serial, 'S1');
  });

  it('rejects disk names and sizes a server cannot have', () => {
    assert.throws(
      () => new HostDisks('h', '/tmp/x', [{ name: '../etc', sizeBytes: MiB }]),
      /disk name "..\/etc" must match/,
    );
    assert.throws(
      () => new HostDisks('h', '/tmp/x', [{ name: 'sda', sizeBytes: 1000 }]),
      /multiple of 512 and at least 1 MiB/,
    );
  });

  it('maps image paths only for its own disks', () => {
    const disks = new HostDisks('h', '/tmp/x', [{ name: 'sda', sizeBytes: MiB }]);
    assert.equal(disks.imagePath('sda'), '/tmp/x/sda.img');
    assert.throws(() => disks.imagePath('sdz'), /host h has no disk sdz/);
  });
});
