import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CAPI_API_VERSION } from '../../api/cluster-api.js';
import { API_VERSION } from '../../api/v1beta1/index.js';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import { CLUSTER_NAME_LABEL, eventKind, machineKind, type KubeObject } from '../../src/kube/index.js';
import { hcloudRemediations } from '../../src/reconcilers/hcloud-remediation/index.js';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR, eventually, testClient, type TestClient } from '../support/kube-runtime-fixtures.js';
import { createProvisioningObjects, hcloudMachinesKind } from '../support/provisioning-objects.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

const COMMAND = 'image-url-command-test';
const SCRIPT = '#!/bin/bash\necho IMAGE_URL_DONE\n';
const NS = 'remediation';
const MACHINE = 'worker-1';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  severity?: string;
  message?: string;
}

interface Machine extends KubeObject {
  status?: { conditions?: Condition[]; deprecated?: { v1beta1?: { conditions?: Condition[] } } };
}

interface Remediation extends KubeObject {
  status?: { phase?: string; retryCount?: number; lastRemediated?: string; conditions?: Condition[] };
}

interface HCloudMachine extends KubeObject {
  spec: { providerID?: string };
  status?: { bootState?: string; lastRemediatedAt?: string };
}

interface EventObject extends KubeObject {
  reason?: string;
  regarding?: { kind?: string; name?: string };
}

describe('HCloudRemediation (kube-apiserver + Cloud simulator + controller)', () => {
  let controlPlane: KubeControlPlane | undefined;
  let cloud: SimCloudEnv | undefined;
  let api: TestClient;
  let commandsDir = '';
  let controller: InProcessController | undefined;

  before(async () => {
    [controlPlane, cloud] = await Promise.all([startControlPlane({ crdPaths: [CRD_DIR] }), startSimCloud()]);
    api = testClient(controlPlane.kubeConfig());
    commandsDir = await mkdtemp(join(tmpdir(), 'imageurl-commands-'));
    await writeFile(join(commandsDir, COMMAND), SCRIPT);
    await chmod(join(commandsDir, COMMAND), 0o755);
    controller = startTestController(controlPlane.kubeconfigPath, {
      commandsDir,
      hcloudEndpoint: cloud.sim.endpoint,
    });
    await provisionWorker(controlPlane, cloud);
  });

  after(async () => {
    await stopTestController(controller, async () => {
      api.transport.close();
      await cloud?.stop();
      await controlPlane?.stop();
      if (commandsDir) await rm(commandsDir, { recursive: true, force: true });
    });
  });

  async function provisionWorker(cp: KubeControlPlane, sim: SimCloudEnv): Promise<void> {
    await createNamespace(cp.kubeConfig(), NS);
    const key = generateSshKeyPair('rescue');
    await sim.api.call('POST', '/ssh_keys', { name: 'rescue', public_key: key.publicKey });
    await createProvisioningObjects(api.client, {
      namespace: NS,
      hcloudToken: sim.sim.token,
      rescueKey: { name: 'rescue', publicKey: key.publicKey, privateKey: key.privateKey },
      machineName: MACHINE,
      imageURL: 'oci://registry.example.com/images/node:v1',
      imageURLCommand: COMMAND,
      bootstrapData: '#cloud-config\n',
    });
    await eventually(
      'the worker to run its operating system',
      async () => (await hcloudMachine()).status?.bootState === 'OperatingSystemRunning',
      120_000,
    );
  }

  const hcloudMachine = (): Promise<HCloudMachine> =>
    api.client.get<HCloudMachine>(hcloudMachinesKind, NS, MACHINE);
  const machine = (): Promise<Machine> => api.client.get<Machine>(machineKind, NS, MACHINE);
  const remediation = (): Promise<Remediation> =>
    api.client.get<Remediation>(hcloudRemediations, NS, MACHINE);

  /** What the simulator saw: POST /servers/{id}/actions/reboot of this worker's server. */
  async function reboots(): Promise<number> {
    const serverId = (await hcloudMachine()).spec.providerID?.slice('hcloud://'.length) ?? '';
    const path = `/v1/servers/${serverId}/actions/reboot`;
    return (cloud ?? assert.fail()).sim.requests
      .recent()
      .filter((r) => r.method === 'POST' && r.path.endsWith(path) && r.status === 201).length;
  }

  /** The Machine's conditions as Cluster API's MachineHealthCheck leaves them for an unhealthy node. */
  async function setMachineConditions(conditions: readonly Condition[]): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const written = conditions.map((c) => ({ message: '', reason: 'Test', ...c, lastTransitionTime: now }));
    const patch = { status: { conditions: written } };
    await api.client.mergePatch(machineKind, { namespace: NS, name: MACHINE }, patch, {
      subresource: 'status',
    });
  }

  /** The HCloudRemediation a MachineHealthCheck creates from its template: the Machine's name, owned by it. */
  async function createRemediation(strategy: Record<string, unknown>): Promise<void> {
    const owner = await machine();
    await api.client.create(hcloudRemediations, {
      apiVersion: API_VERSION,
      kind: 'HCloudRemediation',
      metadata: {
        name: MACHINE,
        namespace: NS,
        labels: { [CLUSTER_NAME_LABEL]: 'my-cluster' },
        ownerReferences: [
          { apiVersion: CAPI_API_VERSION, kind: 'Machine', name: MACHINE, uid: owner.metadata.uid ?? '' },
        ],
      },
      spec: { strategy },
    } as KubeObject);
  }

  async function deleteRemediation(): Promise<void> {
    await api.client.delete(hcloudRemediations, NS, MACHINE);
    await eventually(
      'the remediation to be gone',
      async () => !(await api.client.find(hcloudRemediations, NS, MACHINE)),
    );
  }

  async function remediationEvents(): Promise<string[]> {
    const events = await api.client.list<EventObject>(eventKind, { namespace: NS });
    return events.items.filter((e) => e.regarding?.kind === 'HCloudRemediation').map((e) => e.reason ?? '');
  }

  it('Reboot with retryLimit 1: reboots the server once, then tells Cluster API to replace the Machine', async () => {
    await setMachineConditions([{ type: 'HealthCheckSucceeded', status: 'False', reason: 'UnhealthyNode' }]);
    (cloud ?? assert.fail()).sim.requests.reset();
    await createRemediation({ type: 'Reboot', retryLimit: 1, timeout: '4s' });
    await eventually('one reboot', async () => (await reboots()) === 1, 30_000);
    await eventually(
      'the phase "Deleting machine"',
      async () => (await remediation()).status?.phase === 'Deleting machine',
      30_000,
    );

    const status = (await remediation()).status ?? {};
    assert.equal(status.retryCount, 1);
    assert.ok(status.lastRemediated, 'lastRemediated is set');
    assert.equal(await reboots(), 1, 'the server was rebooted exactly once');
    assertHandedOver(await machine(), 'WaitingForRemediation', /retryLimit is reached/);
    await eventually('the events', async () => {
      const reasons = await remediationEvents();
      return reasons.includes('ServerRebooted') && reasons.includes('ExitRemediation');
    });
  });

  it('keeps a Machine whose node is healthy after the reboot, then replaces it within the cooldown', async () => {
    await deleteRemediation();
    await setMachineConditions([
      { type: 'HealthCheckSucceeded', status: 'False', reason: 'UnhealthyNode' },
      { type: 'NodeHealthy', status: 'True', reason: 'NodeHealthy' },
    ]);
    const remediate = { metadata: { annotations: { 'cluster.x-k8s.io/remediate-machine': '' } } };
    await api.client.mergePatch(machineKind, { namespace: NS, name: MACHINE }, remediate);
    (cloud ?? assert.fail()).sim.requests.reset();
    await createRemediation({ type: 'Reboot', retryLimit: 1, timeout: '2s' });
    await eventually(
      'the phase Succeeded',
      async () => (await remediation()).status?.phase === 'Succeeded',
      30_000,
    );
    assert.equal(await reboots(), 1);
    assert.ok((await hcloudMachine()).status?.lastRemediatedAt, 'the HCloudMachine records the remediation');
    assert.equal((await machine()).metadata.annotations?.['cluster.x-k8s.io/remediate-machine'], undefined);

    // Unhealthy again within the (default, 30m) cooldown: no second reboot, replaced at once.
    await deleteRemediation();
    (cloud ?? assert.fail()).sim.requests.reset();
    await createRemediation({ type: 'Reboot', retryLimit: 1, timeout: '2s' });
    await eventually(
      'the phase "Deleting machine"',
      async () => (await remediation()).status?.phase === 'Deleting machine',
      30_000,
    );
    assert.equal(await reboots(), 0);
    assertHandedOver(await machine(), 'RemediationCooldownTriggered', /cooldown window: 1800s/);
  });
});

/**
 * The Machine as a MachineSet (collections.IsUnhealthyAndOwnerRemediated) and KubeadmControlPlane
 * read it to delete and replace it: HealthCheckSucceeded and OwnerRemediated False, the latter in
 * both condition lists.
 */
function assertHandedOver(machine: Machine, reason: string, message: RegExp): void {
  const { conditions = [], deprecated = {} } = machine.status ?? {};
  const ownerRemediated = (list: readonly Condition[]): Condition =>
    list.find((c) => c.type === 'OwnerRemediated') ?? assert.fail('no OwnerRemediated condition');
  assert.equal(conditions.find((c) => c.type === 'HealthCheckSucceeded')?.status, 'False');
  const owner = ownerRemediated(conditions);
  assert.deepEqual({ status: owner.status, reason: owner.reason }, { status: 'False', reason });
  assert.match(owner.message ?? '', /\(machine will be deleted\): /);
  assert.match(owner.message ?? '', message);
  const { status, severity, reason: v1beta1Reason } = ownerRemediated(deprecated.v1beta1?.conditions ?? []);
  assert.deepEqual(
    { status, severity, reason: v1beta1Reason },
    { status: 'False', severity: 'Warning', reason },
  );
}
