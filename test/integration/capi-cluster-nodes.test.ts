// A whole cluster under Cluster API 1.14's own managers with Nodes: the shipped hcloud-image-url
// template with a KubeadmControlPlane of one and a MachineDeployment of three workers. The
// servers install the simulated OS with CABPK's bootstrap data, so the control plane runs a real
// workload apiserver behind the simulated load balancer and every machine joins it (ADR 0013).
// Then Cluster API scales, remediates and deletes, with the template's own health checks.
// Cluster API reads imageurl's objects through the v1beta2 contract (the CRDs' contract label),
// converted from the stored v1beta1 by imageurl's webhook server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../src/kube/index.js';
import { startCapiEnv, type CapiEnv } from '../support/capi-controllers.js';
import { cloudResources, createCapiCluster, kinds, listIn } from '../support/capi-cluster-objects.js';
import {
  clusterSettlesAt as settles,
  installNodeCommand,
  NODE_COMMAND,
  workloadNodes,
  type NodeInstaller,
} from '../support/capi-workload-nodes.js';
import { eventually } from '../support/kube-runtime-fixtures.js';
import { assertProvisionedV1beta2, coreManagerRequests, listV1beta2 } from '../support/capi-contract.js';

const NS = 'capi-nodes';
const CLUSTER = 'nodes';
const DEPLOYMENT = `${CLUSTER}-md-0`;
const DEADLINE_MS = 420_000;

interface Condition {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
}
interface MachineView extends KubeObject {
  spec: { providerID?: string; infrastructureRef?: { name?: string } };
  status?: { phase?: string; nodeRef?: { name?: string }; conditions?: Condition[] };
}
interface HCloudMachineView extends KubeObject {
  spec: { providerID?: string };
  status?: { bootState?: string };
}

const serverIDs = async (e: CapiEnv): Promise<string[]> =>
  (await cloudResources(e)).servers.map((s) => `hcloud://${String((s as { id: number }).id)}`).sort();

describe('Cluster API 1.14 managers with Nodes: a cluster comes up, scales, heals and goes (workload apiserver, Cloud simulator)', () => {
  let env: CapiEnv | undefined;
  let installer: NodeInstaller | undefined;
  const workloadLog: string[] = [];

  before(async () => {
    const onLog = (line: string): void => {
      workloadLog.push(line);
      if (process.env.IMAGEURL_WORKLOAD_LOG) process.stderr.write(`${line}\n`);
    };
    env = await startCapiEnv({ audit: true, cloud: { workloadClusters: { onLog } } });
    installer = await installNodeCommand(env);
    await createCapiCluster(env, { namespace: NS, name: CLUSTER, workers: 3, command: NODE_COMMAND });
  });

  after(async () => {
    if (process.exitCode) process.stderr.write(`workload clusters:\n${workloadLog.slice(-60).join('\n')}\n`);
    await env?.stop();
  });

  const machines = (e: CapiEnv, selector?: string): Promise<MachineView[]> =>
    listIn<MachineView>(e, kinds.machine, NS, selector);
  const workerSelector = `cluster.x-k8s.io/deployment-name=${DEPLOYMENT}`;

  /** The cluster settled (see clusterSettlesAt), and one server per Machine, no other. */
  async function clusterSettlesAt(e: CapiEnv, workers: number): Promise<MachineView[]> {
    const settled = await settles<MachineView>(e, {
      namespace: NS,
      cluster: CLUSTER,
      deployment: DEPLOYMENT,
      workers,
      deadlineMs: DEADLINE_MS,
    });
    const providerIDs = settled.map((m) => m.spec.providerID ?? '').sort();
    await eventually('one server per Machine, no other', async () => {
      const ids = await serverIDs(e);
      return JSON.stringify(ids) === JSON.stringify(providerIDs);
    });
    return settled;
  }

  it('comes up: all Machines Running with nodeRefs; kubectl get nodes lists 4 hcloud:// nodes', async () => {
    const e = env ?? assert.fail();
    await e.explain(async () => {
      const all = await clusterSettlesAt(e, 3);
      const nodes = await workloadNodes(e, NS, CLUSTER);
      assert.equal(nodes.length, 4);
      for (const node of nodes) assert.match(node.providerID ?? '', /^hcloud:\/\/\d+$/, node.name);
      const byNode = new Map(all.map((m) => [m.status?.nodeRef?.name, m.spec.providerID]));
      for (const node of nodes)
        assert.equal(byNode.get(node.name), node.providerID, `${node.name}: its Machine’s providerID`);
    });
  });

  it('Cluster API reads our objects in v1beta2 (converted by /convert): provisioned, Ready, failure domains as a list', async () => {
    const e = env ?? assert.fail();
    await e.explain(async () => {
      const requests = await coreManagerRequests(e);
      const resources = new Set(requests.v1beta2.map((request) => request.uri.split('/')[6]));
      assert.ok(resources.has('hcloudmachines'), `v1beta2 reads: ${[...resources].join(',')}`);
      assert.ok(resources.has('hetznerclusters'), `v1beta2 reads: ${[...resources].join(',')}`);
      assert.deepEqual(
        requests.v1beta1.map((request) => `${request.verb} ${request.uri}`),
        [],
        'the core manager never asks for v1beta1',
      );
      const infraMachines = await listV1beta2(e, kinds.hcloudMachine, NS);
      assert.equal(infraMachines.length, 4);
      for (const machine of infraMachines) assertProvisionedV1beta2(machine);
      const cluster = (await listV1beta2(e, kinds.hetznerCluster, NS))[0] ?? assert.fail('no HetznerCluster');
      assertProvisionedV1beta2(cluster);
      const domains = cluster.status?.failureDomains ?? [];
      assert.ok(domains.length > 0, 'failure domains');
      for (const domain of domains) assert.equal(typeof domain.name, 'string', JSON.stringify(domain));
    });
  });

  it('KubeadmControlPlane finds no static Pods and no etcd to ask, and will not scale past one', async () => {
    const e = env ?? assert.fail();
    await e.explain(async () => {
      const kcpName = `${CLUSTER}-control-plane`;
      const kcpConditions = async (): Promise<Map<string, Condition>> => {
        const kcp = await e.api.client.get<KubeObject & { status?: { conditions?: Condition[] } }>(
          kinds.kubeadmControlPlane,
          NS,
          kcpName,
        );
        return new Map((kcp.status?.conditions ?? []).map((c) => [c.type, c]));
      };
      // What ADR 0013 records: the component checks look for static Pods, the etcd checks reach
      // etcd through its Pod; neither exists here.
      await eventually('the control plane’s component and etcd checks have run', async () => {
        const [machine] = await machines(e, 'cluster.x-k8s.io/control-plane');
        const byType = new Map((machine?.status?.conditions ?? []).map((c) => [c.type, c]));
        return (
          [
            'APIServerPodHealthy',
            'ControllerManagerPodHealthy',
            'SchedulerPodHealthy',
            'EtcdPodHealthy',
          ].every((type) => byType.get(type)?.reason === 'DoesNotExist') &&
          byType.get('EtcdMemberHealthy')?.status !== 'True' &&
          byType.get('NodeHealthy')?.status === 'True'
        );
      });
      // KubeadmControlPlane sums up its Machines' conditions on its next reconcile.
      await eventually('KubeadmControlPlane reports the same', async () => {
        const conditions = await kcpConditions();
        return (
          conditions.get('Initialized')?.status === 'True' &&
          conditions.get('ControlPlaneComponentsHealthy')?.status === 'False' &&
          conditions.get('EtcdClusterHealthy')?.status !== 'True' &&
          conditions.get('Available')?.status === 'False'
        );
      });

      await e.api.client.mergePatch(
        kinds.kubeadmControlPlane,
        { namespace: NS, name: kcpName },
        { spec: { replicas: 3 } },
      );
      let scalingUp: Condition | undefined;
      await eventually('KubeadmControlPlane reports the scale-up held back', async () => {
        scalingUp = (await kcpConditions()).get('ScalingUp');
        return scalingUp?.status === 'True' && /blocked because/.test(scalingUp.message ?? '');
      });
      // Its preflight checks: the same component and etcd health as above.
      const why = scalingUp?.message ?? '';
      assert.match(why, /waiting for control plane components to become healthy/);
      assert.match(why, /waiting for etcd cluster to become healthy/);
      assert.equal(
        (await machines(e, 'cluster.x-k8s.io/control-plane')).length,
        1,
        'no second control plane',
      );
      await e.api.client.mergePatch(
        kinds.kubeadmControlPlane,
        { namespace: NS, name: kcpName },
        { spec: { replicas: 1 } },
      );
      await eventually(
        'KubeadmControlPlane back at one replica',
        async () => (await kcpConditions()).get('ScalingUp')?.status === 'False',
      );
    });
  });

  it('a worker whose command fails is remediated: the failed server goes, a replacement joins', async () => {
    const e = env ?? assert.fail();
    await e.explain(async () => {
      const before = new Set((await machines(e, workerSelector)).map((m) => m.metadata.name));
      await (installer ?? assert.fail()).failNextInstall();
      // Replacing one worker makes the MachineSet create the machine whose install fails.
      const [victim] = [...before];
      await e.api.client.delete(kinds.machine, NS, victim ?? assert.fail());
      let failed: HCloudMachineView | undefined;
      await eventually(
        'a worker in ProvisioningFailed',
        async () => {
          const infra = await listIn<HCloudMachineView>(e, kinds.hcloudMachine, NS, workerSelector);
          failed = infra.find((m) => m.status?.bootState === 'ProvisioningFailed');
          return failed !== undefined;
        },
        DEADLINE_MS,
      );
      const failedServer = (failed ?? assert.fail()).spec.providerID;
      // What Cluster API reads of it: no failureReason (v1beta2 keeps it under deprecated only).
      const [seen] = (await listV1beta2(e, kinds.hcloudMachine, NS)).filter(
        (m) => m.metadata.name === failed?.metadata.name,
      );
      if (seen !== undefined) {
        assert.equal(seen.status?.failureReason, undefined);
        assert.equal(seen.status?.failureMessage, undefined);
      }
      const all = await clusterSettlesAt(e, 3);
      const names = all.map((m) => m.metadata.name);
      assert.ok(!names.includes(failed?.metadata.name), 'the failed worker was replaced');
      if (failedServer !== undefined)
        assert.ok(!(await serverIDs(e)).includes(failedServer), 'its server is gone');
    });
  });

  it('scaling the MachineDeployment 3 → 5 → 2 creates and deletes servers and Nodes; none leaked', async () => {
    const e = env ?? assert.fail();
    await e.explain(async () => {
      for (const replicas of [5, 2]) {
        await e.api.client.mergePatch(
          kinds.machineDeployment,
          { namespace: NS, name: DEPLOYMENT },
          { spec: { replicas } },
        );
        await clusterSettlesAt(e, replicas);
      }
      const infra = await listIn(e, kinds.hcloudMachine, NS);
      assert.equal(infra.length, 3, infra.map((m) => m.metadata.name).join(', '));
    });
  });

  it('deleting the Cluster removes every server, load balancer, placement group and finalizer', async () => {
    const e = env ?? assert.fail();
    await e.explain(async () => {
      await e.api.client.delete(kinds.cluster, NS, CLUSTER);
      await eventually(
        'the Cluster gone',
        async () => (await e.api.client.find(kinds.cluster, NS, CLUSTER)) === undefined,
        DEADLINE_MS,
      );
      assert.deepEqual(await cloudResources(e), { servers: [], load_balancers: [], placement_groups: [] });
      for (const kind of [
        kinds.machine,
        kinds.hcloudMachine,
        kinds.hetznerCluster,
        kinds.kubeadmControlPlane,
      ]) {
        const left = (await listIn(e, kind, NS)).map((object) => object.metadata.name);
        assert.deepEqual(left, [], `no ${kind.kind} left`);
      }
      const held = (await listIn(e, kinds.secret, NS)).filter(
        (s) => (s.metadata.finalizers ?? []).length > 0,
      );
      assert.deepEqual(
        held.map((s) => s.metadata.name),
        [],
        'no Secret holds a finalizer',
      );
    });
  });
});
