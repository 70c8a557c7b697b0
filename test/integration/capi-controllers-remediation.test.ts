// A worker whose image-url-command fails is replaced through Cluster API 1.14's own managers:
// imageurl asks for remediation (cluster.x-k8s.io/remediate-machine), the MachineHealthCheck of
// the shipped template hands it to an HCloudRemediation, imageurl hands the Machine back to its
// MachineSet (OwnerRemediated False), the MachineSet deletes and replaces it, and the failed
// server goes. Workers get their bootstrap data from a Secret here: the kubeadm bootstrap
// provider would wait for an initialized control plane, which needs a workload cluster.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import { startCapiEnv, type CapiEnv } from '../support/capi-controllers.js';
import { cloudResources, createCapiCluster, kinds, listIn } from '../support/capi-cluster-objects.js';
import { eventually } from '../support/kube-runtime-fixtures.js';

const NS = 'capi-mhc';
const CLUSTER = 'mhc';
const DEPLOYMENT = `${CLUSTER}-md-0`;
const COMMAND = 'image-url-command-fails-once';
const DEADLINE_MS = 300_000;

/**
 * Without the control plane's objects, the workers' bootstrap data from a Secret, and the health
 * check allowed to remediate while no worker has a Node: Cluster API counts a Machine without
 * one as not started, and the template's 40% would then hold every remediation back.
 */
function workersOnly(object: Record<string, unknown>): Record<string, unknown> | undefined {
  if (object['kind'] === 'KubeadmControlPlane') return undefined;
  const spec = object['spec'] as Record<string, unknown>;
  if (object['kind'] === 'Cluster') return { ...object, spec: { ...spec, controlPlaneRef: undefined } };
  if (object['kind'] === 'MachineHealthCheck') {
    const remediation = {
      ...(spec['remediation'] as object),
      triggerIf: { unhealthyLessThanOrEqualTo: '100%' },
    };
    return { ...object, spec: { ...spec, remediation } };
  }
  if (object['kind'] !== 'MachineDeployment') return object;
  const template = spec['template'] as { spec: Record<string, unknown> };
  const machineSpec = { ...template.spec, bootstrap: { dataSecretName: 'worker-bootstrap' } };
  return { ...object, spec: { ...spec, template: { ...template, spec: machineSpec } } };
}

interface HCloudMachineView extends KubeObject {
  spec: { providerID?: string };
  status?: { bootState?: string };
}

describe('Cluster API 1.14 managers replace a worker whose command failed (MachineHealthCheck)', () => {
  let env: CapiEnv | undefined;

  before(async () => {
    env = await startCapiEnv();
    // The first command run fails (no IMAGE_URL_DONE); `mkdir` decides which one, atomically.
    const marker = join(env.workDir, 'failed-once');
    await env.writeCommand(
      COMMAND,
      `#!/bin/bash\nif mkdir '${marker}' 2>/dev/null; then echo 'disk write failed' >&2; exit 1; fi\necho IMAGE_URL_DONE\n`,
    );
    await createCapiCluster(env, {
      namespace: NS,
      name: CLUSTER,
      workers: 3,
      command: COMMAND,
      edit: workersOnly,
    });
    await env.api.client.create(kinds.secret, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'worker-bootstrap', namespace: NS },
      data: { value: Buffer.from('#cloud-config\n').toString('base64') },
    } as KubeObject);
  });

  after(async () => {
    await env?.stop();
  });

  const workers = (e: CapiEnv): Promise<HCloudMachineView[]> =>
    listIn<HCloudMachineView>(e, kinds.hcloudMachine, NS, `cluster.x-k8s.io/deployment-name=${DEPLOYMENT}`);

  it('the failed worker is deleted with its server, a replacement provisions', async () => {
    const e = env ?? assert.fail();
    await e.explain(async () => {
      let failed: HCloudMachineView | undefined;
      await eventually(
        'a worker in ProvisioningFailed',
        async () => {
          failed = (await workers(e)).find((m) => m.status?.bootState === 'ProvisioningFailed');
          return failed !== undefined;
        },
        DEADLINE_MS,
      );
      const found = failed ?? assert.fail();
      const failedName = found.metadata.name ?? assert.fail();
      const failedServer = found.spec.providerID;
      await eventually(
        'the failed worker replaced, three workers running their OS',
        async () => {
          const now = await workers(e);
          return (
            now.length === 3 &&
            !now.some((m) => m.metadata.name === failedName) &&
            now.every((m) => m.status?.bootState === 'OperatingSystemRunning')
          );
        },
        DEADLINE_MS,
      );
      const { servers } = await cloudResources(e);
      const ids = servers.map((server) => `hcloud://${String((server as { id: number }).id)}`);
      assert.equal(ids.length, 3, `three servers: ${ids.join(', ')}`);
      if (failedServer !== undefined) assert.ok(!ids.includes(failedServer), 'the failed server is gone');
      const providerIDs = (await workers(e)).map((m) => m.spec.providerID).sort();
      assert.deepEqual(providerIDs, [...ids].sort(), 'each server is a worker’s');
    });
  });
});
