import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  assetCandidates,
  assetEnvName,
  defaultAssetsDir,
  findAsset,
  findClusterApiCrds,
  findOptionalAsset,
  MissingAssetError,
} from './assets.js';

let root: string;
let repo: string;

async function executable(path: string): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, '#!/bin/sh\n');
  await chmod(path, 0o755);
  return path;
}

async function fakeRepo(dir: string): Promise<void> {
  await mkdir(join(dir, 'tools/envtest/kubernetes'), { recursive: true });
  await mkdir(join(dir, 'tools/envtest/etcd'), { recursive: true });
  await mkdir(join(dir, 'tools/envtest/cluster-api'), { recursive: true });
  await writeFile(
    join(dir, 'tools/envtest/kubernetes/go.mod'),
    'module x\n\nrequire k8s.io/kubernetes v1.2.3\n',
  );
  await writeFile(
    join(dir, 'tools/envtest/etcd/go.mod'),
    'module y\n\nrequire (\n\tgo.etcd.io/etcd/server/v3 v3.4.5 // indirect\n)\n',
  );
  await writeFile(
    join(dir, 'tools/envtest/cluster-api/go.mod'),
    'module z\n\nrequire sigs.k8s.io/cluster-api v1.9.0\n',
  );
}

describe('control-plane asset lookup', () => {
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'imageurl-assets-'));
    repo = join(root, 'repo');
    await fakeRepo(repo);
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('names the per-binary variables as envtest does', () => {
    assert.equal(assetEnvName('kube-apiserver'), 'TEST_ASSET_KUBE_APISERVER');
    assert.equal(assetEnvName('etcd'), 'TEST_ASSET_ETCD');
    assert.equal(assetEnvName('kubectl'), 'TEST_ASSET_KUBECTL');
  });

  it('derives the default folder from the versions the envtest go.mod files pin', () => {
    assert.equal(defaultAssetsDir(repo), join(repo, '.cache/envtest/k8s-1.2.3-etcd-3.4.5'));
  });

  it('prefers TEST_ASSET_*, then KUBEBUILDER_ASSETS, then the repo build, then the system folder', async () => {
    const system = join(root, 'system');
    const assets = join(root, 'assets');
    const inRepo = await executable(join(defaultAssetsDir(repo), 'etcd'));
    const inSystem = await executable(join(system, 'etcd'));
    const inAssets = await executable(join(assets, 'etcd'));
    const explicit = await executable(join(root, 'my-etcd'));
    const lookup = { repoRoot: repo, systemDir: system };
    assert.equal(
      findAsset('etcd', { ...lookup, env: { TEST_ASSET_ETCD: explicit, KUBEBUILDER_ASSETS: assets } }),
      explicit,
    );
    assert.equal(findAsset('etcd', { ...lookup, env: { KUBEBUILDER_ASSETS: assets } }), inAssets);
    assert.equal(findAsset('etcd', { ...lookup, env: { KUBEBUILDER_ASSETS: join(root, 'empty') } }), inRepo);
    assert.equal(findAsset('etcd', { repoRoot: undefined, systemDir: system, env: {} }), inSystem);
    assert.deepEqual(assetCandidates('etcd', { ...lookup, env: { KUBEBUILDER_ASSETS: assets } }), [
      inAssets,
      inRepo,
      inSystem,
    ]);
  });

  it('ignores files that are not executable', async () => {
    const dir = join(root, 'not-executable');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'kubectl'), '');
    assert.equal(findOptionalAsset('kubectl', { repoRoot: undefined, systemDir: dir, env: {} }), undefined);
  });

  it('rejects a TEST_ASSET_* that points nowhere instead of silently falling back', () => {
    assert.throws(
      () =>
        findAsset('kube-apiserver', { repoRoot: repo, env: { TEST_ASSET_KUBE_APISERVER: '/nonexistent/x' } }),
      (error: unknown) =>
        error instanceof MissingAssetError &&
        /TEST_ASSET_KUBE_APISERVER=\/nonexistent\/x/.test(error.message),
    );
  });

  it('says where it looked and how to build the binaries when nothing is found', () => {
    assert.throws(
      () => findAsset('kube-apiserver', { repoRoot: repo, systemDir: join(root, 'none'), env: {} }),
      (error: unknown) => {
        assert.ok(error instanceof MissingAssetError);
        assert.match(error.message, /kube-apiserver not found/);
        assert.match(error.message, /TEST_ASSET_KUBE_APISERVER/);
        assert.match(error.message, /k8s-1\.2\.3-etcd-3\.4\.5\/kube-apiserver/);
        assert.match(error.message, /bash tools\/envtest\/install\.sh/);
        return true;
      },
    );
  });

  it('finds the Cluster API CRDs in IMAGEURL_CAPI_CRDS or the default cache folder', async () => {
    const missing = { repoRoot: repo, env: {} };
    assert.throws(() => findClusterApiCrds(missing), /cluster-api-1\.9\.0\/crds.*cluster-api-crds\.sh/s);
    const crds = join(repo, '.cache/envtest/cluster-api-1.9.0/crds');
    await mkdir(crds, { recursive: true });
    await writeFile(join(crds, 'a.yaml'), '');
    assert.equal(findClusterApiCrds(missing), crds);
    const own = join(root, 'own-crds');
    await mkdir(own);
    assert.throws(
      () => findClusterApiCrds({ repoRoot: repo, env: { IMAGEURL_CAPI_CRDS: own } }),
      /IMAGEURL_CAPI_CRDS/,
    );
    await writeFile(join(own, 'b.yml'), '');
    assert.equal(findClusterApiCrds({ repoRoot: repo, env: { IMAGEURL_CAPI_CRDS: own } }), own);
  });
});
