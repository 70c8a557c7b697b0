import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLsblk } from './lsblk.js';

describe('lsblk disks', () => {
  it('keeps whole disks in lsblk order with sizes, WWNs, serials and models', () => {
    const json = JSON.stringify({
      blockdevices: [
        {
          name: 'nvme1n1',
          size: 512110190592,
          type: 'disk',
          wwn: 'eui.0025388801b4dff2',
          serial: 'S1',
          model: 'SAMSUNG ',
        },
        { name: 'loop0', size: 1024, type: 'loop', wwn: null, serial: null, model: null },
        { name: 'sr0', size: 1024, type: 'rom', wwn: null, serial: null, model: null },
        { name: 'sda', size: '64000', type: 'disk', wwn: null, serial: '', model: null },
      ],
    });
    assert.deepEqual(parseLsblk(json), [
      {
        name: 'nvme1n1',
        sizeBytes: 512110190592,
        wwn: 'eui.0025388801b4dff2',
        serial: 'S1',
        model: 'SAMSUNG',
      },
      { name: 'sda', sizeBytes: 64000 },
    ]);
  });

  const broken: [string, string][] = [
    ['not JSON', 'lsblk: failed'],
    ['no list', '{}'],
    ['a disk without a size', '{"blockdevices":[{"name":"sda","type":"disk"}]}'],
  ];
  for (const [name, json] of broken) {
    it(`rejects ${name}`, () => {
      assert.throws(() => parseLsblk(json));
    });
  }
});
