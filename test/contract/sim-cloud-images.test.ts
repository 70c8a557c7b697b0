import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../support/kube-runtime-fixtures.js';
import { serverBody, startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

interface WireImage {
  id: number;
  type: string;
  status: string;
  name: string | null;
  description: string;
  architecture: string;
  labels: Record<string, string>;
  created_from: { id: number; name: string } | null;
  rapid_deploy: boolean;
}

/** Snapshots as docs.hetzner.cloud describes them: made from a server, found by label, no name. */
describe('Cloud simulator images: snapshots', () => {
  let env: SimCloudEnv;

  before(async () => {
    env = await startSimCloud({ bootSystems: false });
  });
  after(() => env.stop());

  const images = async (query: string): Promise<WireImage[]> =>
    (await env.api.call('GET', `/images?${query}`)).body.images as WireImage[];

  it('makes a snapshot with labels from a server, lists it by label and architecture, creates a server from it', async () => {
    const source = await env.api.call(
      'POST',
      '/servers',
      serverBody('snapshot-source', { start_after_create: false }),
    );
    assert.equal(source.status, 201);
    const sourceId = (source.body.server as { id: number }).id;
    await eventually(
      'the source server created',
      async () => (await env.api.server(sourceId)).status === 'off',
    );
    const made = await env.api.call('POST', `/servers/${sourceId}/actions/create_image`, {
      description: 'node image v1',
      labels: { 'caph-image-name': 'node-v1' },
    });
    assert.equal(made.status, 201);
    const image = made.body.image as WireImage;
    assert.equal(image.type, 'snapshot');
    assert.equal(image.name, null, 'snapshots have no name');
    assert.equal(image.architecture, 'x86');
    assert.deepEqual(image.created_from, { id: sourceId, name: 'snapshot-source' });
    assert.equal(image.rapid_deploy, false);
    assert.equal((made.body.action as { command: string }).command, 'create_image');
    await eventually(
      'the snapshot available',
      async () =>
        ((await env.api.call('GET', `/images/${image.id}`)).body.image as WireImage).status === 'available',
    );

    const byLabel = await images('label_selector=caph-image-name%3D%3Dnode-v1&architecture=x86');
    assert.deepEqual(
      byLabel.map((i) => i.id),
      [image.id],
    );
    assert.deepEqual(await images('label_selector=caph-image-name%3D%3Dnode-v1&architecture=arm'), []);
    assert.deepEqual(
      (await images('type=snapshot')).map((i) => i.id),
      [image.id],
    );
    assert.ok((await images('type=system')).every((i) => i.type === 'system' && i.name !== null));
    assert.deepEqual(await images('name=node-v1'), [], 'a label is not a name');

    const fromSnapshot = await env.api.call(
      'POST',
      '/servers',
      serverBody('from-snapshot', { image: image.id }),
    );
    assert.equal(fromSnapshot.status, 201);
    assert.equal((fromSnapshot.body.server as { image: { id: number } }).image.id, image.id);
    const onArm = await env.api.call(
      'POST',
      '/servers',
      serverBody('arm-from-snapshot', { image: image.id, server_type: 'cax11' }),
    );
    assert.equal(onArm.status, 422, 'an x86 snapshot does not fit an arm server type');

    const relabelled = await env.api.call('PUT', `/images/${image.id}`, {
      labels: { 'caph-image-name': 'node-v2' },
    });
    assert.deepEqual((relabelled.body.image as WireImage).labels, { 'caph-image-name': 'node-v2' });
    const system = (await images('name=debian-13&architecture=x86'))[0];
    assert.equal((await env.api.call('DELETE', `/images/${system?.id ?? 0}`)).status, 403);
    assert.equal((await env.api.call('DELETE', `/images/${image.id}`)).status, 204);
    assert.equal((await env.api.call('GET', `/images/${image.id}`)).status, 404);
  });
});
