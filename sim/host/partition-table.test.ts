import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSfdiskJson } from './partition-table.js';

const MiB = 1024 * 1024;

function sfdisk(label: string, partitions: object[], device = '/dev/loop7'): string {
  return JSON.stringify({ partitiontable: { label, device, unit: 'sectors', sectorsize: 512, partitions } });
}

describe('parseSfdiskJson', () => {
  it('turns GPT entries into byte ranges numbered like the kernel numbers them, with their type and name', () => {
    const linux = '0FC63DAF-8483-4772-8E79-3D69D8477DE4';
    const data = 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7';
    const json = sfdisk('gpt', [
      { node: '/dev/loop7p1', start: 2048, size: 16384, type: linux, name: 'root' },
      { node: '/dev/loop7p3', start: 18432, size: 4096, type: data },
    ]);
    assert.deepEqual(parseSfdiskJson(json, 64 * MiB), {
      label: 'gpt',
      partitions: [
        { number: 1, offsetBytes: MiB, sizeBytes: 8 * MiB, type: linux, name: 'root' },
        { number: 3, offsetBytes: 9 * MiB, sizeBytes: 2 * MiB, type: data },
      ],
    });
  });

  it('shows a DOS extended partition as a 1 KiB stub and its logical partitions in number order', () => {
    const json = sfdisk(
      'dos',
      [
        { node: 'disk.img1', start: 2048, size: 8192, type: '83' },
        { node: 'disk.img2', start: 10240, size: 16384, type: '5' },
        { node: 'disk.img5', start: 12288, size: 4096, type: '83' },
        { node: 'disk.img3', start: 26624, size: 6144, type: '83' },
      ],
      'disk.img',
    );
    assert.deepEqual(
      parseSfdiskJson(json, 16 * MiB).partitions.map((p) => [p.number, p.offsetBytes / 512, p.sizeBytes]),
      [
        [1, 2048, 4 * MiB],
        [2, 10240, 1024],
        [3, 26624, 3 * MiB],
        [5, 12288, 2 * MiB],
      ],
    );
  });

  it('truncates partitions reaching past the disk and leaves out those starting beyond it', () => {
    const json = sfdisk('gpt', [
      { node: '/dev/loop7p1', start: 2048, size: 65536 },
      { node: '/dev/loop7p2', start: 65536, size: 2048 },
    ]);
    assert.deepEqual(parseSfdiskJson(json, 16 * MiB).partitions, [
      { number: 1, offsetBytes: MiB, sizeBytes: 15 * MiB },
    ]);
  });

  it('rejects output without a partition table', () => {
    assert.throws(() => parseSfdiskJson('{}', MiB), /sfdisk printed no partition table/);
  });
});
