import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ObjectStore } from '../../kube/informer/store.js';
import { objectKey, PAUSED_ANNOTATION, type Informer } from '../../kube/index.js';
import { clusterToHetznerClusters, type LinkCaches } from './cluster-links.js';
import type { ClusterObject, HetznerClusterObject } from './types.js';

const cluster = (changes: Partial<ClusterObject> = {}): ClusterObject => ({
  apiVersion: 'cluster.x-k8s.io/v1beta2',
  kind: 'Cluster',
  metadata: { namespace: 'ns', name: 'c1', ...changes.metadata },
  spec: {
    infrastructureRef: { apiGroup: 'infrastructure.cluster.x-k8s.io', kind: 'HetznerCluster', name: 'hc1' },
    ...changes.spec,
  },
});

function caches(): LinkCaches {
  const clusters = new ObjectStore<ClusterObject>();
  clusters.set(objectKey('ns', 'c1'), cluster());
  const hetznerClusters = new ObjectStore<HetznerClusterObject>();
  return {
    clusters: { store: clusters } as unknown as Informer<ClusterObject>,
    hetznerClusters: { store: hetznerClusters } as unknown as Informer<HetznerClusterObject>,
  };
}

describe('Cluster changes that reconcile a HetznerCluster', () => {
  const map = clusterToHetznerClusters(caches());
  const hc1 = [objectKey('ns', 'hc1')];

  it('a Cluster that appears or goes reconciles its HetznerCluster', () => {
    assert.deepEqual(map({ type: 'added', object: cluster() }), hc1);
    assert.deepEqual(map({ type: 'deleted', object: cluster() }), hc1);
  });

  it('pausing or unpausing the Cluster reconciles it', () => {
    const paused = cluster({ spec: { paused: true } });
    assert.deepEqual(map({ type: 'modified', object: paused, previous: cluster() }), hc1);
    assert.deepEqual(map({ type: 'modified', object: cluster(), previous: paused }), hc1);
    const annotated = cluster({ metadata: { annotations: { [PAUSED_ANNOTATION]: '' } } });
    assert.deepEqual(map({ type: 'modified', object: annotated, previous: cluster() }), hc1);
  });

  it('a changed infrastructureRef reconciles the HetznerClusters it names and named', () => {
    const other = cluster({ spec: { infrastructureRef: { kind: 'HetznerCluster', name: 'hc2' } } });
    const keys = map({ type: 'modified', object: other, previous: cluster() });
    assert.deepEqual(new Set(keys), new Set([objectKey('ns', 'hc2'), ...hc1]));
  });

  it('Cluster API’s status and condition updates reconcile nothing (each would cost hcloud requests)', () => {
    const progressed = {
      ...cluster(),
      metadata: { namespace: 'ns', name: 'c1', resourceVersion: '2', labels: { extra: 'x' } },
      status: { phase: 'Provisioned', conditions: [{ type: 'Available', status: 'False' }] },
    } as ClusterObject;
    assert.deepEqual(map({ type: 'modified', object: progressed, previous: cluster() }), []);
  });
});
