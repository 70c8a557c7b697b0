import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envtestVersions, findRepoRoot, requiredVersion } from './envtest-versions.js';

describe('envtest versions', () => {
  it('reads one-line and block requires, with or without comments', () => {
    const goMod =
      'module m\n\nrequire k8s.io/kubernetes v1.34.4\n\nrequire (\n\tgo.etcd.io/etcd/server/v3 v3.6.16 // indirect\n)\n';
    assert.equal(requiredVersion(goMod, 'k8s.io/kubernetes'), '1.34.4');
    assert.equal(requiredVersion(goMod, 'go.etcd.io/etcd/server/v3'), '3.6.16');
  });

  it('does not match a module whose path merely starts the same', () => {
    assert.equal(requiredVersion('require k8s.io/kubernetes-extra v1.0.0\n', 'k8s.io/kubernetes'), undefined);
    assert.equal(requiredVersion('replace k8s.io/api => k8s.io/api v0.34.4\n', 'k8s.io/api'), undefined);
  });

  it('finds this repository and the versions it pins', () => {
    const root = findRepoRoot();
    assert.ok(root);
    const versions = envtestVersions(root);
    assert.match(versions.kubernetes ?? '', /^1\.\d+\.\d+$/);
    assert.match(versions.etcd ?? '', /^3\.\d+\.\d+$/);
    assert.match(versions.clusterApi ?? '', /^1\.\d+\.\d+$/);
    assert.match(versions.certManager ?? '', /^1\.\d+\.\d+$/);
  });
});
