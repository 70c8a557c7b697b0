import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from './errors.js';
import { loadKubeConfig } from './kube-config.js';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: "https://10.1.2.3:6443" } }]
users: [{ name: u, user: { token: abc } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`;

describe('loadKubeConfig', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-config-test-'));
    await writeFile(join(dir, 'config'), KUBECONFIG);
    await mkdir(join(dir, 'sa'));
    await writeFile(join(dir, 'sa', 'token'), 'sa-token');
    await writeFile(join(dir, 'sa', 'ca.crt'), 'unused');
    await writeFile(join(dir, 'sa', 'namespace'), 'capi-system\n');
  });
  after(async () => rm(dir, { recursive: true, force: true }));

  it('prefers --kubeconfig, then KUBECONFIG', () => {
    const fromFlag = loadKubeConfig({ kubeconfig: join(dir, 'config'), env: { KUBECONFIG: '/nope' } });
    assert.equal(fromFlag.origin, 'flag');
    assert.equal(fromFlag.config.getCurrentCluster()?.server, 'https://10.1.2.3:6443');
    assert.equal(loadKubeConfig({ env: { KUBECONFIG: join(dir, 'config') } }).origin, 'KUBECONFIG');
  });

  it('uses the service account in a pod, with its namespace', () => {
    const loaded = loadKubeConfig({
      env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
      serviceAccountDir: join(dir, 'sa'),
      home: join(dir, 'no-home'),
    });
    assert.equal(loaded.origin, 'in-cluster');
    assert.equal(loaded.namespace, 'capi-system');
    assert.equal(loaded.config.getCurrentCluster()?.server, 'https://10.96.0.1:443');
  });

  it('reads the service account from IMAGEURL_SERVICEACCOUNT_DIR, outside a pod', () => {
    const inPod = { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: '6443' };
    const loaded = loadKubeConfig({
      env: { ...inPod, IMAGEURL_SERVICEACCOUNT_DIR: join(dir, 'sa') },
      home: join(dir, 'no-home'),
    });
    assert.equal(loaded.origin, 'in-cluster');
    assert.equal(loaded.namespace, 'capi-system');
    assert.equal(loaded.config.getCurrentCluster()?.caFile, join(dir, 'sa', 'ca.crt'));
  });

  it('fails with a clear error instead of guessing localhost:8080', () => {
    assert.throws(
      () => loadKubeConfig({ env: {}, home: join(dir, 'no-home'), serviceAccountDir: join(dir, 'none') }),
      (error: unknown) => error instanceof ConfigError && error.code === 'KUBECONFIG_NOT_FOUND',
    );
    assert.throws(
      () => loadKubeConfig({ kubeconfig: join(dir, 'missing'), env: {} }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.code === 'KUBECONFIG_INVALID' &&
        /--kubeconfig/.test(error.message),
    );
  });
});
