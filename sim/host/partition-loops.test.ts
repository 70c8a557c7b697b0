import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { partitionNodeName } from './partition-loops.js';

describe('partitionNodeName', () => {
  it('appends the number, with a p after names ending in a digit, as the kernel names partitions', () => {
    assert.equal(partitionNodeName('sda', 1), 'sda1');
    assert.equal(partitionNodeName('vdb', 12), 'vdb12');
    assert.equal(partitionNodeName('nvme0n1', 2), 'nvme0n1p2');
  });
});
