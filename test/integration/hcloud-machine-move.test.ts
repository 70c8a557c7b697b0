import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  clusterKind,
  machineKind,
  secretKind,
  type KindRef,
  type KubeClient,
  type KubeObject,
} from '../../src/kube/index.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR, testClient, type TestClient } from '../support/kube-runtime-fixtures.js';
import { addMachine, startMachineEnv, writeCommand, type MachineEnv } from '../support/machine-env.js';
import {
  pollFor,
  serversOf,
  waitForBootState,
  type HCloudMachineView,
} from '../support/machine-observation.js';
import { hcloudMachinesKind, hetznerClusters } from '../support/provisioning-objects.js';

const COMMAND = 'image-url-command-counted';
/** Appends the machine name to `runs` when it starts; slow enough to be moved while it runs. */
const commandScript = (runs: string): string => `#!/bin/bash
echo "$3" >> ${runs}
sleep 4
echo IMAGE_URL_DONE
`;
const RUNNING = 'move-running';
const MIDWAY = 'move-midway';

function controllerOn(kubeconfig: string, env: MachineEnv): InProcessController {
  const settings = { commandsDir: env.commandsDir, hcloudEndpoint: env.cloud.sim.endpoint };
  return startTestController(kubeconfig, settings);
}

/** The object as `clusterctl move` creates it: no status, no uid or version, owners by their new uids. */
function asMoved(object: KubeObject, ownerUids: ReadonlyMap<string, string>): KubeObject {
  const { metadata } = object;
  const copy: Record<string, unknown> = { ...object, metadata: {} };
  delete copy.status;
  const ownerReferences = metadata.ownerReferences?.map((ref) => ({
    ...ref,
    uid:
      ownerUids.get(`${ref.kind}/${ref.name}`) ?? assert.fail(`owner ${ref.kind}/${ref.name} not moved yet`),
  }));
  copy.metadata = {
    name: metadata.name,
    namespace: metadata.namespace,
    ...(metadata.labels ? { labels: metadata.labels } : {}),
    ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
    ...(metadata.finalizers ? { finalizers: metadata.finalizers } : {}),
    ...(ownerReferences ? { ownerReferences } : {}),
  };
  return copy as unknown as KubeObject;
}

/** Copies one machine's namespace (Secrets, HetznerCluster, Cluster, Machine, HCloudMachine), owners first. */
async function moveNamespace(
  from: KubeClient,
  to: TestClient,
  target: KubeControlPlane,
  ns: string,
): Promise<void> {
  await createNamespace(target.kubeConfig(), ns);
  const ownerUids = new Map<string, string>();
  const kinds: readonly KindRef[] = [
    secretKind,
    hetznerClusters,
    clusterKind,
    machineKind,
    hcloudMachinesKind,
  ];
  for (const kind of kinds) {
    for (const object of (await from.list<KubeObject>(kind, { namespace: ns })).items) {
      if (kind === secretKind && object.metadata.name?.startsWith('default-token')) continue;
      const created = await to.client.create(kind, asMoved(object, ownerUids));
      ownerUids.set(`${object.kind ?? kind.kind}/${object.metadata.name ?? ''}`, created.metadata.uid ?? '');
    }
  }
}

describe('clusterctl move: the machines go on in the new management cluster with the same servers (two kube-apiservers + Cloud simulator)', () => {
  let env: MachineEnv | undefined;
  let target: KubeControlPlane | undefined;
  let targetApi: TestClient | undefined;
  let controller: InProcessController | undefined;
  let runs = '';

  before(async () => {
    env = await startMachineEnv({ rescueBootMs: 500 });
    runs = join(env.scratchDir, 'command-runs');
    await writeCommand(env, COMMAND, commandScript(runs));
    target = await startControlPlane({ crdPaths: [CRD_DIR] });
    targetApi = testClient(target.kubeConfig());
  });

  after(async () => {
    await stopTestController(controller, async () => {
      targetApi?.transport.close();
      await target?.stop();
      await env?.stop();
    });
  });

  async function commandRuns(name: string): Promise<number> {
    const text = await readFile(runs, 'utf8').catch(() => '');
    return text.split('\n').filter((line) => line === name).length;
  }

  it('a running machine and one whose command is running keep their servers; nothing is created and the command does not run again', async () => {
    const e = env ?? assert.fail('no env');
    const t = target ?? assert.fail('no target');
    const to = targetApi ?? assert.fail('no target client');
    controller = controllerOn(e.controlPlane.kubeconfigPath, e);
    await addMachine(e, RUNNING, COMMAND);
    const running = await waitForBootState(e, RUNNING, 'OperatingSystemRunning', 120_000);
    await addMachine(e, MIDWAY, COMMAND);
    const midway = await waitForBootState(e, MIDWAY, 'RunningImageCommand', 120_000);
    await controller.stop();
    controller = undefined;

    const requestsBefore = e.cloud.sim.requests.recent(10_000).length;
    for (const ns of [RUNNING, MIDWAY]) await moveNamespace(e.api.client, to, t, ns);
    controller = controllerOn(t.kubeconfigPath, e);

    for (const [name, before] of [
      [RUNNING, running],
      [MIDWAY, midway],
    ] as const) {
      const moved = await pollFor(
        `${name} to run its operating system in the new management cluster`,
        async () => {
          const machine = await to.client.get<HCloudMachineView>(hcloudMachinesKind, name, name);
          return machine.status?.bootState === 'OperatingSystemRunning' && machine.status.ready === true
            ? machine
            : undefined;
        },
        { deadlineMs: 120_000 },
      );
      assert.equal(moved.spec.providerID, before.spec.providerID, `${name}: the same server`);
      assert.equal((await serversOf(e, name)).length, 1, `${name}: one server`);
      assert.equal(await commandRuns(name), 1, `${name}: the command ran once`);
    }
    const after = e.cloud.sim.requests.recent(10_000).slice(requestsBefore);
    const acted = after.filter((request) => request.method !== 'GET').map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(acted, [], 'no server created, no rescue enabled, nothing reset after the move');
  });
});
