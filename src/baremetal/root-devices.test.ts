import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RescueDisk } from '../ports/rescue-system.js';
import { checkRootDevices, hintedWwns, rootDeviceArgs, storageOf } from './root-devices.js';

const nvme: RescueDisk[] = [
  { name: 'nvme0n1', sizeBytes: 512e9, wwn: 'eui.0025388801b4dff1' },
  { name: 'nvme1n1', sizeBytes: 512e9, wwn: 'eui.0025388801b4dff2' },
  { name: 'sda', sizeBytes: 4e12 },
];

describe('root devices', () => {
  it('resolves a hinted WWN to the kernel name lsblk reports now', () => {
    const hints = { wwn: 'eui.0025388801b4dff2' };
    assert.deepEqual(rootDeviceArgs(hints, { deviceStringType: '', swraid: 0 }, nvme), ['nvme1n1']);
    assert.deepEqual(rootDeviceArgs(hints, { deviceStringType: 'short', swraid: 0 }, nvme), ['nvme1n1']);
    assert.deepEqual(rootDeviceArgs(hints, { deviceStringType: 'wwn', swraid: 0 }, nvme), [
      'eui.0025388801b4dff2',
    ]);
  });

  it('passes RAID disks in lsblk order as names, in hint order as WWNs', () => {
    const hints = { raid: { wwn: ['eui.0025388801b4dff2', 'eui.0025388801b4dff1'] } };
    assert.deepEqual(rootDeviceArgs(hints, { deviceStringType: '', swraid: 1 }, nvme), [
      'nvme0n1',
      'nvme1n1',
    ]);
    assert.deepEqual(rootDeviceArgs(hints, { deviceStringType: 'wwn', swraid: 1 }, nvme), [
      'eui.0025388801b4dff2',
      'eui.0025388801b4dff1',
    ]);
  });

  it('wwn mode with no hints fails with "no WWN is configured in rootDeviceHints"', () => {
    const result = rootDeviceArgs({}, { deviceStringType: 'wwn', swraid: 0 }, nvme);
    assert.ok('problem' in result);
    assert.match(result.message, /no WWN is configured in rootDeviceHints/);
  });

  it('requires exactly one of wwn and raid.wwn, raid with two or more, and swraid to match', () => {
    const problem = (result: unknown): string | undefined =>
      typeof result === 'object' && result !== null && 'problem' in result
        ? String(result.problem)
        : undefined;
    assert.equal(problem(hintedWwns({ wwn: 'a', raid: { wwn: ['b', 'c'] } })), 'ImageSpecInvalid');
    assert.equal(problem(hintedWwns({ raid: { wwn: ['b'] } })), 'ImageSpecInvalid');
    assert.equal(problem(hintedWwns(undefined)), 'NoStorageDeviceFound');
    const raid = { raid: { wwn: ['eui.0025388801b4dff1', 'eui.0025388801b4dff2'] } };
    assert.equal(checkRootDevices(raid, 0, nvme)?.problem, 'ImageSpecInvalid');
    assert.equal(checkRootDevices({ wwn: 'eui.0025388801b4dff1' }, 1, nvme)?.problem, 'ImageSpecInvalid');
    assert.equal(checkRootDevices(raid, 1, nvme), undefined);
    assert.equal(checkRootDevices({ wwn: 'eui.gone' }, 0, nvme)?.problem, 'NoStorageDeviceFound');
  });

  it('stores disks without their kernel names, sizes in bytes and GB', () => {
    assert.deepEqual(
      storageOf([{ name: 'sda', sizeBytes: 1_999_999_999, wwn: 'w', serial: 's', model: 'm' }]),
      [{ sizeBytes: 1_999_999_999, sizeGB: 1, wwn: 'w', model: 'm', serialNumber: 's' }],
    );
  });
});
