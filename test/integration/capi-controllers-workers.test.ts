// A MachineDeployment of workers under Cluster API 1.14's own managers: Cluster API creates and
// deletes the Machines and HCloudMachines; the kubeadm bootstrap provider writes a worker's join
// data only once the control plane is initialized, which needs a workload cluster (not here), so
// every worker waits for its bootstrap data and imageurl creates no server for it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import { startCapiEnv, type CapiEnv } from '../support/capi-controllers.js';
import {
  cloudResources,
  createCapiCluster,
  kinds,
  listIn,
  SKIP_CONTROL_PLANE_STABLE,
} from '../support/capi-cluster-objects.js';
import { eventually } from '../support/kube-runtime-fixtures.js';

const NS = 'capi-md';
const CLUSTER = 'md';
const DEPLOYMENT = `${CLUSTER}-md-0`;
const DEADLINE_MS = 180_000;

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}
interface HCloudMachineView extends KubeObject {
  spec: { providerID?: string };
  status?: { bootState?: string; conditions?: Condition[]; v1beta2?: { conditions?: Condition[] } };
}

describe('Cluster API 1.14 managers drive imageurl: MachineDeployment workers (kube-apiserver, Cloud simulator)', () => {
  let env: CapiEnv | undefined;

  before(async () => {
    env = await startCapiEnv();
    await createCapiCluster(env, {
      namespace: NS,
      name: CLUSTER,
      workers: 3,
      machineDeploymentAnnotations: SKIP_CONTROL_PLANE_STABLE,
    });
  });

  after(async () => {
    await env?.stop();
  });

  const selector = `cluster.x-k8s.io/deployment-name=${DEPLOYMENT}`;
  const workerMachines = (e: CapiEnv): Promise<KubeObject[]> => listIn(e, kinds.machine, NS, selector);
  const workerInfra = (e: CapiEnv): Promise<HCloudMachineView[]> =>
    listIn<HCloudMachineView>(e, kinds.hcloudMachine, NS, selector);

  /** Waits until Cluster API has exactly `count` worker Machines and HCloudMachines, none being deleted. */
  async function workersSettleAt(e: CapiEnv, count: number): Promise<void> {
    await eventually(
      `${count} worker Machines and HCloudMachines`,
      async () => {
        const [machines, infra] = await Promise.all([workerMachines(e), workerInfra(e)]);
        const live = (objects: KubeObject[]): boolean =>
          objects.length === count && objects.every((o) => o.metadata.deletionTimestamp === undefined);
        return live(machines) && live(infra);
      },
      DEADLINE_MS,
    );
  }

  /** Every worker says it waits for its bootstrap data, and none has a server. */
  async function assertWorkersWaitForBootstrapData(e: CapiEnv): Promise<void> {
    await eventually('every worker reports the wait for its bootstrap data', async () =>
      (await workerInfra(e)).every((m) =>
        m.status?.v1beta2?.conditions?.some(
          (c) => c.type === 'ServerCreated' && c.status === 'False' && c.reason === 'WaitingForBootstrapData',
        ),
      ),
    );
    for (const machine of await workerInfra(e)) {
      const bootstrap = machine.status?.conditions?.find((c) => c.type === 'BootstrapReady');
      assert.equal(bootstrap?.reason, 'BootstrapNotReady', machine.metadata.name);
      assert.equal(bootstrap.message, 'bootstrap not ready yet', machine.metadata.name);
      assert.equal(machine.spec.providerID, undefined, `${machine.metadata.name ?? ''} has no server`);
    }
    const names = new Set((await workerInfra(e)).map((m) => m.metadata.name));
    const { servers } = await cloudResources(e);
    const workerServers = servers.filter((server) => names.has((server as { name: string }).name));
    assert.deepEqual(workerServers, [], 'no server for a worker');
  }

  it('Cluster API creates the workers; each waits for its join data and imageurl creates no server', async () => {
    const e = env ?? assert.fail();
    await e.explain(async () => {
      await workersSettleAt(e, 3);
      await assertWorkersWaitForBootstrapData(e);
    });
  });

  it('scaling the MachineDeployment 3 → 5 → 2 creates and deletes HCloudMachines; nothing is left over', async () => {
    const e = env ?? assert.fail();
    await e.explain(async () => {
      for (const replicas of [5, 2]) {
        await e.api.client.mergePatch(
          kinds.machineDeployment,
          { namespace: NS, name: DEPLOYMENT },
          {
            spec: { replicas },
          },
        );
        await workersSettleAt(e, replicas);
        await assertWorkersWaitForBootstrapData(e);
      }
      // The removed workers are gone entirely: no HCloudMachine left behind by a finalizer.
      const all = await listIn(e, kinds.hcloudMachine, NS);
      const controlPlane = all.filter(
        (m) => m.metadata.labels?.['cluster.x-k8s.io/control-plane'] !== undefined,
      );
      assert.equal(all.length, 2 + controlPlane.length, all.map((m) => m.metadata.name).join(', '));
    });
  });
});
