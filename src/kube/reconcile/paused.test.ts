import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../client/objects.js';
import { pausedBy, type ClusterLike } from './paused.js';

const object = (annotations: Record<string, string> = {}): KubeObject => ({
  metadata: { name: 'worker-1', namespace: 'team-a', annotations },
});
const cluster = (paused: boolean): ClusterLike => ({ metadata: { name: 'c1' }, spec: { paused } });

describe('pausedBy', () => {
  it('pauses on the object or its Cluster, as Cluster API does', () => {
    assert.equal(pausedBy(object(), cluster(false)), undefined);
    assert.equal(
      pausedBy(object({ 'cluster.x-k8s.io/paused': '' }), undefined),
      'annotation cluster.x-k8s.io/paused',
    );
    assert.equal(pausedBy(object(), cluster(true)), 'Cluster c1 spec.paused');
  });

  it('pauses an object clusterctl move is deleting here: its servers belong to the target cluster now', () => {
    const leaving = object({ 'clusterctl.cluster.x-k8s.io/delete-for-move': '' });
    assert.equal(pausedBy(leaving, cluster(false)), 'annotation clusterctl.cluster.x-k8s.io/delete-for-move');
  });
});
