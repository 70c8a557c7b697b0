import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CloudImage } from '../ports/cloud-servers.js';
import { chooseImage, imageLabelSelector, type ImageCandidates } from './image-name.js';

const ubuntu: CloudImage = {
  id: 5003,
  name: 'ubuntu-24.04',
  description: 'Ubuntu 24.04',
  type: 'system',
  labels: {},
  rapidDeploy: true,
};
const snapshot: CloudImage = {
  id: 900,
  description: 'node image v1',
  type: 'snapshot',
  labels: { 'caph-image-name': 'node-v1' },
  rapidDeploy: false,
};
const backup: CloudImage = { ...snapshot, id: 901, type: 'backup', labels: {}, description: 'nightly' };

function candidates(overrides: Partial<ImageCandidates>): ImageCandidates {
  return {
    imageName: 'node-v1',
    serverType: 'cpx22',
    architecture: 'x86',
    byLabel: [],
    byName: [],
    ...overrides,
  };
}

describe('spec.imageName → one image (CAPH: label caph-image-name or name, server type architecture)', () => {
  it('finds a snapshot by its caph-image-name label, a system image by its name', () => {
    assert.deepEqual(chooseImage(candidates({ byLabel: [snapshot] })), { kind: 'found', image: snapshot });
    const byName = chooseImage(candidates({ imageName: 'ubuntu-24.04', byName: [ubuntu] }));
    assert.deepEqual(byName, { kind: 'found', image: ubuntu });
  });

  it('counts an image that has both the name and the label once', () => {
    const both = { ...ubuntu, labels: { 'caph-image-name': 'ubuntu-24.04' } };
    const choice = chooseImage(candidates({ imageName: 'ubuntu-24.04', byLabel: [both], byName: [both] }));
    assert.deepEqual(choice, { kind: 'found', image: both });
  });

  it('refuses several matches, naming each with its id', () => {
    const second = { ...snapshot, id: 902, description: 'node image v1 again' };
    const choice = chooseImage(candidates({ byLabel: [snapshot, second] }));
    assert.ok(choice.kind === 'ambiguous');
    assert.match(
      choice.message,
      /^spec\.imageName "node-v1": 2 images of architecture x86 \(server type cpx22\) match/,
    );
    assert.match(choice.message, /snapshot 900 \(caph-image-name=node-v1, "node image v1"\)/);
    assert.match(choice.message, /snapshot 902/);
  });

  it('says what exists when nothing matches: system images and snapshots, not backups', () => {
    const choice = chooseImage(candidates({ imageName: 'ubuntu-22.04' }), [ubuntu, snapshot, backup]);
    assert.ok(choice.kind === 'not-found');
    assert.equal(
      choice.message,
      'spec.imageName "ubuntu-22.04": no image of architecture x86 (server type cpx22) has this name or ' +
        "label caph-image-name; allowed: an image name or a snapshot's caph-image-name label; there are: " +
        'ubuntu-24.04 (system 5003), snapshot 900 (caph-image-name=node-v1, "node image v1")',
    );
    const none = chooseImage(candidates({}));
    assert.ok(none.kind === 'not-found');
    assert.match(none.message, /there are none$/);
  });

  it('repeats at most 100 characters of the value and lists at most 10 images', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({ ...ubuntu, id: i, name: `image-${i}` }));
    const choice = chooseImage(candidates({ imageName: 'x'.repeat(300) }), many);
    assert.ok(choice.kind === 'not-found');
    assert.ok(choice.message.includes(`"${'x'.repeat(100)}…"`));
    assert.ok(!choice.message.includes('x'.repeat(101)));
    assert.match(choice.message, /image-9 \(system 9\) and 2 more$/);
  });

  it('asks for the label with an exact match', () => {
    assert.equal(imageLabelSelector('node-v1'), 'caph-image-name==node-v1');
  });
});
