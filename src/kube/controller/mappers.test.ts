import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClient } from '../client/kube-client.js';
import { keyOf, objectKey, type KubeObject } from '../client/objects.js';
import { KubeTransport } from '../client/transport.js';
import { Informer } from '../informer/informer.js';
import { silentLogger } from '../ops/logger.js';
import {
  CLUSTER_NAME_LABEL,
  indexByClusterName,
  toClusterMembers,
  toIndexed,
  toInfrastructureRef,
} from './mappers.js';

interface Used extends KubeObject {
  spec?: { secretRef?: { name: string } };
}

/** An informer that is never started: its store is filled by hand. */
function cacheOf(objects: Used[]): Informer<Used> {
  const client = new KubeClient(new KubeTransport(new KubeConfig()));
  const kind = { group: 'x', version: 'v1', kind: 'Used', plural: 'useds', namespaced: true };
  const informer = new Informer<Used>(client, { kind, log: silentLogger() });
  for (const object of objects) informer.store.set(keyOf(object), object);
  return informer;
}

describe('key mappers', () => {
  it('maps a Machine to its infrastructure object, v1beta1 and v1beta2 references alike, old target included', () => {
    const map = toInfrastructureRef('HCloudMachine');
    const v1beta2 = {
      metadata: { name: 'm', namespace: 'ns' },
      spec: { infrastructureRef: { apiGroup: 'g', kind: 'HCloudMachine', name: 'new' } },
    };
    const v1beta1 = {
      metadata: { name: 'm', namespace: 'ns' },
      spec: { infrastructureRef: { kind: 'HCloudMachine', name: 'old', namespace: 'other' } },
    };
    assert.deepEqual(map({ type: 'modified', object: v1beta2, previous: v1beta1 }), ['ns/new', 'other/old']);
    const bareMetal = {
      metadata: { name: 'm', namespace: 'ns' },
      spec: { infrastructureRef: { kind: 'HetznerBareMetalMachine', name: 'x' } },
    };
    assert.deepEqual(map({ type: 'added', object: bareMetal }), []);
  });

  it('maps a Secret to the objects indexed as using it', () => {
    const users = cacheOf([
      { metadata: { name: 'a', namespace: 'ns' }, spec: { secretRef: { name: 'hcloud' } } },
      { metadata: { name: 'b', namespace: 'ns' }, spec: { secretRef: { name: 'other' } } },
      { metadata: { name: 'c', namespace: 'ns' }, spec: { secretRef: { name: 'hcloud' } } },
    ]);
    users.store.addIndex('secret', (o) =>
      o.spec?.secretRef ? [objectKey(o.metadata.namespace, o.spec.secretRef.name)] : [],
    );
    const map = toIndexed(users, 'secret');
    assert.deepEqual(map({ type: 'modified', object: { metadata: { name: 'hcloud', namespace: 'ns' } } }), [
      'ns/a',
      'ns/c',
    ]);
    users.store.delete('ns/a');
    assert.deepEqual(map({ type: 'added', object: { metadata: { name: 'hcloud', namespace: 'ns' } } }), [
      'ns/c',
    ]);
  });

  it('maps a Cluster to its members by the cluster-name label', () => {
    const members = cacheOf([
      { metadata: { name: 'a', namespace: 'ns', labels: { [CLUSTER_NAME_LABEL]: 'one' } } },
      { metadata: { name: 'b', namespace: 'ns', labels: { [CLUSTER_NAME_LABEL]: 'two' } } },
      { metadata: { name: 'c', namespace: 'elsewhere', labels: { [CLUSTER_NAME_LABEL]: 'one' } } },
    ]);
    indexByClusterName(members);
    assert.deepEqual(
      toClusterMembers(members)({ type: 'modified', object: { metadata: { name: 'one', namespace: 'ns' } } }),
      ['ns/a'],
    );
  });

  it('reconciles a Cluster’s members when it pauses, unpauses, is deleted or names another infrastructure, not at status updates', () => {
    const members = cacheOf([
      { metadata: { name: 'a', namespace: 'ns', labels: { [CLUSTER_NAME_LABEL]: 'one' } } },
    ]);
    indexByClusterName(members);
    const map = toClusterMembers(members);
    const before = {
      metadata: { name: 'one', namespace: 'ns', resourceVersion: '1' },
      spec: { infrastructureRef: { kind: 'HetznerCluster', name: 'one' } },
      status: { phase: 'Provisioning' },
    };
    const changed = (object: Record<string, unknown>): readonly string[] =>
      map({ type: 'modified', object: { ...before, ...object }, previous: before });
    // Cluster API rewrites the status at every step of every machine; a member has nothing to do.
    assert.deepEqual(changed({ status: { phase: 'Provisioned', conditions: [] } }), []);
    assert.deepEqual(changed({ metadata: { ...before.metadata, resourceVersion: '2' } }), []);
    assert.deepEqual(changed({ spec: { ...before.spec, paused: true } }), ['ns/a']);
    const annotations = { 'cluster.x-k8s.io/paused': '' };
    assert.deepEqual(changed({ metadata: { ...before.metadata, annotations } }), ['ns/a']);
    const deletionTimestamp = '2026-01-01T00:00:00Z';
    assert.deepEqual(changed({ metadata: { ...before.metadata, deletionTimestamp } }), ['ns/a']);
    assert.deepEqual(changed({ spec: { infrastructureRef: { kind: 'HetznerCluster', name: 'two' } } }), [
      'ns/a',
    ]);
    assert.deepEqual(map({ type: 'added', object: before }), ['ns/a']);
    assert.deepEqual(map({ type: 'deleted', object: before }), ['ns/a']);
  });
});
