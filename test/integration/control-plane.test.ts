import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  ApiextensionsV1Api,
  AuthenticationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  V1SelfSubjectReview,
} from '@kubernetes/client-node';
import { findAsset, KubeControlPlane, startControlPlane } from '../../sim/kube-control-plane/index.js';
import { waitFor } from '../../sim/process/wait-for.js';
import { rejection } from '../support/kube-errors.js';
import { createNamespace, kubeObject } from '../support/kube-objects.js';
import { processExists } from '../support/processes.js';

const NAMESPACE = 'control-plane-test';
const MACHINES = { group: 'cluster.x-k8s.io', version: 'v1beta2', plural: 'machines', namespace: NAMESPACE };

function machine(name: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: `${MACHINES.group}/${MACHINES.version}`, kind: 'Machine', metadata: { name }, spec };
}

const validSpec = {
  clusterName: 'demo',
  bootstrap: { dataSecretName: 'demo-bootstrap' },
  infrastructureRef: {
    apiGroup: 'infrastructure.cluster.x-k8s.io',
    kind: 'HCloudMachine',
    name: 'demo-md-0',
  },
};

describe('local control plane (real etcd + kube-apiserver, Cluster API CRDs)', () => {
  let controlPlane: KubeControlPlane | undefined;
  let objects: CustomObjectsApi;

  function running(): KubeControlPlane {
    assert.ok(controlPlane, 'the control plane did not start');
    return controlPlane;
  }

  before(async () => {
    controlPlane = await startControlPlane();
    console.log(
      `control plane ready in ${controlPlane.timings.readyMs.toFixed(0)} ms (${controlPlane.server})`,
    );
    const config = controlPlane.kubeConfig();
    objects = config.makeApiClient(CustomObjectsApi);
    await createNamespace(config, NAMESPACE);
  });

  after(async () => {
    await controlPlane?.stop();
  });

  it('serves Machines at the version the Cluster API CRD stores', async () => {
    const api = running().kubeConfig().makeApiClient(ApiextensionsV1Api);
    const crd = await api.readCustomResourceDefinition({ name: 'machines.cluster.x-k8s.io' });
    const stored = crd.spec.versions.find((version) => version.storage);
    assert.equal(stored?.name, MACHINES.version);
    assert.ok(running().crds.includes('kubeadmconfigs.bootstrap.cluster.x-k8s.io'));
    assert.ok(running().crds.includes('kubeadmcontrolplanes.controlplane.cluster.x-k8s.io'));
  });

  it('creates a Cluster API Machine through the apiserver and reads it back', async () => {
    await objects.createNamespacedCustomObject({ ...MACHINES, body: machine('demo-md-0-abcde', validSpec) });
    const read = (await objects.getNamespacedCustomObject({ ...MACHINES, name: 'demo-md-0-abcde' })) as {
      metadata: { uid?: string; namespace?: string };
      spec: typeof validSpec;
    };
    assert.equal(read.metadata.namespace, NAMESPACE);
    assert.match(read.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(read.spec.clusterName, 'demo');
    assert.equal(read.spec.bootstrap.dataSecretName, 'demo-bootstrap');
    assert.deepEqual(read.spec.infrastructureRef, validSpec.infrastructureRef);
  });

  it('rejects a Machine without the required clusterName with 422, naming the field', async () => {
    const spec = { bootstrap: validSpec.bootstrap, infrastructureRef: validSpec.infrastructureRef };
    const { code, status } = await rejection(
      objects.createNamespacedCustomObject({ ...MACHINES, body: machine('no-cluster-name', spec) }),
    );
    assert.equal(code, 422);
    assert.match(status.message ?? '', /spec\.clusterName: Required value/);
  });

  it('rejects a field of the wrong type with 422, naming the field', async () => {
    const spec = { ...validSpec, bootstrap: { dataSecretName: 42 } };
    const { code, status } = await rejection(
      objects.createNamespacedCustomObject({ ...MACHINES, body: machine('wrong-type', spec) }),
    );
    assert.equal(code, 422);
    assert.match(status.message ?? '', /spec\.bootstrap\.dataSecretName: Invalid value: "integer"/);
  });

  it('writes a kubeconfig that works on its own, as the system:masters admin', async () => {
    const config = new KubeConfig();
    config.loadFromFile(running().kubeconfigPath);
    assert.equal(config.getCurrentCluster()?.server, running().server);
    const namespaces = await config.makeApiClient(CoreV1Api).listNamespace();
    assert.ok(namespaces.items.some((namespace) => namespace.metadata?.name === NAMESPACE));
    const review = await config.makeApiClient(AuthenticationV1Api).createSelfSubjectReview({
      body: kubeObject(V1SelfSubjectReview, {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'SelfSubjectReview',
      }),
    });
    assert.equal(review.status?.userInfo?.username, 'imageurl-admin');
    assert.ok(review.status.userInfo.groups?.includes('system:masters'));
  });

  it('stops: kube-apiserver and etcd are gone and the temporary folder is removed', async () => {
    const { etcd, kubeApiserver } = running().pids;
    const dir = running().tempDir;
    assert.ok(etcd !== undefined && kubeApiserver !== undefined);
    assert.ok(processExists(etcd) && processExists(kubeApiserver) && existsSync(dir));
    await running().stop();
    assert.ok(!processExists(kubeApiserver), 'kube-apiserver is still running');
    assert.ok(!processExists(etcd), 'etcd is still running');
    assert.ok(!existsSync(dir), `${dir} still exists`);
    await running().stop(); // idempotent
  });
});

describe('local control plane start failures', () => {
  let scratch = '';

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-cp-failures-'));
  });

  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function fakeBinary(name: string, script: string): Promise<string> {
    const path = join(scratch, name);
    await writeFile(path, `#!/bin/sh\n${script}\n`);
    await chmod(path, 0o755);
    return path;
  }

  /** Processes whose command line mentions `text` (how a leftover etcd would show). */
  async function processesMentioning(text: string): Promise<number[]> {
    const pids: number[] = [];
    for (const entry of await readdir('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.includes(text)) pids.push(Number(entry));
    }
    return pids;
  }

  it('names what it looked for when a binary is missing, and creates nothing', async () => {
    const tmpRoot = await mkdtemp(join(scratch, 'missing-'));
    const env = { ...process.env, TEST_ASSET_ETCD: join(scratch, 'no-such-etcd') };
    await assert.rejects(
      startControlPlane({ env, tmpRoot }),
      /TEST_ASSET_ETCD=.*no-such-etcd is not an executable/,
    );
    assert.deepEqual(await readdir(tmpRoot), []);
  });

  it('reports the output of a kube-apiserver that exits, stops etcd and removes its folder', async () => {
    const tmpRoot = await mkdtemp(join(scratch, 'apiserver-exits-'));
    const apiserver = await fakeBinary(
      'kube-apiserver',
      'echo "E0101 flag provided but not defined: --x" >&2\nexit 3',
    );
    const env = { ...process.env, TEST_ASSET_KUBE_APISERVER: apiserver, TEST_ASSET_ETCD: findAsset('etcd') };
    const controlPlane = new KubeControlPlane({ env, tmpRoot, installClusterApiCrds: false });
    await assert.rejects(controlPlane.start(), (error: Error) => {
      assert.match(error.message, /kube-apiserver exited \(code 3\) before it was ready/);
      assert.match(error.message, /flag provided but not defined/);
      return true;
    });
    await controlPlane.stop(); // still fine after a failed start
    assert.deepEqual(await readdir(tmpRoot), []);
    await waitFor(async () => ((await processesMentioning(tmpRoot)).length === 0 ? true : undefined), {
      deadlineMs: 5_000,
      description: `no process using ${tmpRoot}`,
    });
  });
});
