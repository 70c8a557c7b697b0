import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { caphHetznerClusterSpec, createClusterObjects } from '../support/cluster-infra-objects.js';
import {
  startTestController,
  stopTestController,
  type InProcessController,
} from '../support/in-process-controller.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR, eventually, testClient, type TestClient } from '../support/kube-runtime-fixtures.js';
import {
  createLabelledMachineObjects,
  createMachineObjects,
  hcloudMachinesKind,
  hetznerClusters,
} from '../support/provisioning-objects.js';
import { startSimCloud, type SimCloudEnv } from '../support/sim-cloud-env.js';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface HetznerCluster extends KubeObject {
  spec: { controlPlaneEndpoint?: { host: string; port: number } };
  status?: {
    ready?: boolean;
    conditions?: Condition[];
    controlPlaneLoadBalancer?: { id?: number; ipv4?: string; internalIP?: string; targets?: unknown[] };
    networkStatus?: { id?: number };
    hcloudPlacementGroups?: { id?: number; name?: string }[];
  };
}

interface Machine extends KubeObject {
  spec: { providerID?: string };
  status?: { bootState?: string; addresses?: { type: string; address: string }[]; conditions?: Condition[] };
}

interface WireTarget {
  type: string;
  server?: { id: number };
  use_private_ip?: boolean;
}

const CONTROL_PLANE = { 'cluster.x-k8s.io/control-plane': '' };
const machineSpec = (group: string): Record<string, unknown> => ({
  type: 'cpx22',
  imageName: 'ubuntu-24.04',
  placementGroupName: group,
});

describe('HetznerCluster infrastructure: load balancer, network, placement groups (kube-apiserver + Cloud simulator)', () => {
  let controlPlane: KubeControlPlane | undefined;
  let cloud: SimCloudEnv | undefined;
  let api: TestClient;
  let commandsDir = '';
  let controller: InProcessController | undefined;

  before(async () => {
    [controlPlane, cloud] = await Promise.all([startControlPlane({ crdPaths: [CRD_DIR] }), startSimCloud()]);
    api = testClient(controlPlane.kubeConfig());
    commandsDir = await mkdtemp(join(tmpdir(), 'imageurl-commands-'));
    const created = await cloud.api.call('POST', '/ssh_keys', {
      name: 'ssh-key',
      public_key: generateSshKeyPair('ssh-key').publicKey,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    controller = startTestController(controlPlane.kubeconfigPath, {
      commandsDir,
      hcloudEndpoint: cloud.sim.endpoint,
    });
  });

  after(async () => {
    await stopTestController(controller, async () => {
      api.transport.close();
      await cloud?.stop();
      await controlPlane?.stop();
      if (commandsDir) await rm(commandsDir, { recursive: true, force: true });
    });
  });

  it('CAPH’s default cluster: ready with a load balancer endpoint, control planes become targets, deletion removes everything', async () => {
    const sim = cloud ?? assert.fail();
    const ns = 'caph-default';
    await createNamespace((controlPlane ?? assert.fail()).kubeConfig(), ns);
    await createClusterObjects(api.client, ns, sim.sim.token, caphHetznerClusterSpec());
    await eventually(
      'the HetznerCluster ready',
      async () => (await cluster(ns)).status?.ready === true,
      60_000,
    );
    const ready = await cluster(ns);
    const balancer = ready.status?.controlPlaneLoadBalancer ?? assert.fail('no load balancer status');
    assert.ok(balancer.ipv4, 'the load balancer has a public IPv4');
    assert.deepEqual(ready.spec.controlPlaneEndpoint, { host: balancer.ipv4, port: 443 });
    assert.deepEqual(conditionOf(ready, 'LoadBalancerReady')?.status, 'True');
    assert.deepEqual(conditionOf(ready, 'PlacementGroupsSynced')?.status, 'True');
    const wire = await loadBalancer(sim, balancer.id ?? 0);
    assert.match(String(wire.name), /^my-cluster-kube-apiserver-[a-z0-9]{5}$/);
    assert.deepEqual(wire.labels, { 'caph-cluster-my-cluster': 'owned', 'imageurl.io/namespace': ns });
    assert.deepEqual(
      (wire.services as { listen_port: number; destination_port: number }[]).map((s) => [
        s.listen_port,
        s.destination_port,
      ]),
      [[443, 6443]],
    );
    const groups = (await sim.api.call('GET', '/placement_groups')).body.placement_groups as {
      name: string;
      labels: Record<string, string>;
    }[];
    assert.deepEqual(groups.map((group) => group.name).sort(), [
      'my-cluster-control-plane',
      'my-cluster-md-0',
    ]);
    assert.deepEqual(ready.status?.hcloudPlacementGroups?.map((group) => group.name).sort(), [
      'control-plane',
      'md-0',
    ]);

    await createLabelledMachineObjects(
      api.client,
      { ns, name: 'cp-0', labels: CONTROL_PLANE },
      machineSpec('control-plane'),
    );
    await createMachineObjects(api.client, ns, 'worker-0', machineSpec('md-0'));
    const cpServer = await serverIdOf(ns, 'cp-0');
    const workerServer = await serverIdOf(ns, 'worker-0');
    await eventually('the control-plane server is the only target', async () => {
      const targets = (await loadBalancer(sim, balancer.id ?? 0)).targets as WireTarget[];
      return targets.length === 1 && targets[0]?.server?.id === cpServer;
    });
    const inGroup = async (id: number): Promise<string> =>
      String(((await sim.api.server(id)).placement_group as { name: string } | null)?.name);
    assert.equal(await inGroup(cpServer), 'my-cluster-control-plane');
    assert.equal(await inGroup(workerServer), 'my-cluster-md-0');
    await eventually(
      'the status lists the target',
      async () => ((await cluster(ns)).status?.controlPlaneLoadBalancer?.targets ?? []).length === 1,
    );

    await deleteAll(ns);
    const left = async (path: string, key: string): Promise<number> =>
      ((await sim.api.call('GET', path)).body[key] as unknown[]).length;
    assert.equal(await left('/load_balancers', 'load_balancers'), 0, 'load balancer deleted');
    assert.equal(await left('/placement_groups', 'placement_groups'), 0, 'placement groups deleted');
    assert.equal(await left('/servers', 'servers'), 0, 'servers deleted');
  });

  it('a private network: servers in the subnet with InternalIP, private load balancer targets; a full placement group is a condition', async () => {
    const sim = cloud ?? assert.fail();
    const ns = 'private-network';
    await createNamespace((controlPlane ?? assert.fail()).kubeConfig(), ns);
    const network = {
      enabled: true,
      cidrBlock: '10.0.0.0/16',
      subnetCidrBlock: '10.0.0.0/24',
      networkZone: 'eu-central',
    };
    await createClusterObjects(
      api.client,
      ns,
      sim.sim.token,
      caphHetznerClusterSpec({ hcloudNetwork: network }),
    );
    await eventually(
      'the HetznerCluster ready',
      async () => (await cluster(ns)).status?.ready === true,
      60_000,
    );
    const ready = await cluster(ns);
    assert.equal(conditionOf(ready, 'NetworkReady')?.status, 'True');
    assert.ok(ready.status?.networkStatus?.id, 'the network is in the status');
    assert.match(ready.status.controlPlaneLoadBalancer?.internalIP ?? '', /^10\.0\.0\./);

    await privateControlPlane(sim, ns, ready);

    await fullGroupIsAMachineCondition(sim, ns, ready);

    await deleteAll(ns);
    assert.deepEqual((await sim.api.call('GET', '/networks')).body.networks, [], 'network deleted');
    assert.deepEqual((await sim.api.call('GET', '/load_balancers')).body.load_balancers, []);
  });

  it('a load balancer create refused with resource_limit_exceeded: a clear condition, no retry storm', async () => {
    const sim = cloud ?? assert.fail();
    const ns = 'lb-quota';
    await createNamespace((controlPlane ?? assert.fail()).kubeConfig(), ns);
    sim.sim.faults.add({
      kind: 'request',
      method: 'POST',
      path: '/v1/load_balancers',
      status: 403,
      code: 'resource_limit_exceeded',
      message: 'project limit of load balancers reached',
    });
    const creates = (): number =>
      sim.sim.requests.recent(10_000).filter((r) => r.method === 'POST' && r.path === '/v1/load_balancers')
        .length;
    const earlier = creates();
    try {
      await createClusterObjects(api.client, ns, sim.sim.token, caphHetznerClusterSpec());
      await eventually('LoadBalancerReady False with LoadBalancerCreateFailed', async () => {
        const condition = conditionOf(await cluster(ns), 'LoadBalancerReady');
        return condition?.reason === 'LoadBalancerCreateFailed';
      });
      const failed = await cluster(ns);
      const condition = conditionOf(failed, 'LoadBalancerReady') ?? assert.fail();
      assert.equal(condition.status, 'False');
      assert.match(condition.message ?? '', /create load balancer .*resource_limit_exceeded/);
      assert.equal(failed.status?.ready, false, 'not ready without its load balancer');
      // Machines coming and going reconcile the cluster; none of that calls create again.
      for (const name of ['w-1', 'w-2', 'w-3'])
        await createMachineObjects(api.client, ns, name, { type: 'cpx22' });
      const before = creates();
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      assert.equal(creates(), before, 'no further create calls within the backoff');
      assert.equal(before - earlier, 1, 'one create call in all');
    } finally {
      sim.sim.faults.clear();
    }
  });

  /** A control-plane machine in the network: attached, InternalIP, a private target. */
  async function privateControlPlane(sim: SimCloudEnv, ns: string, ready: HetznerCluster): Promise<void> {
    await createLabelledMachineObjects(
      api.client,
      { ns, name: 'cp-0', labels: CONTROL_PLANE },
      machineSpec('control-plane'),
    );
    const cpServer = await serverIdOf(ns, 'cp-0');
    const nets = (await sim.api.server(cpServer)).private_net as { network: number; ip: string }[];
    const privateNet = nets.at(0) ?? assert.fail('the server is in no private network');
    assert.equal(privateNet.network, ready.status?.networkStatus?.id, 'attached to the cluster network');
    assert.match(privateNet.ip, /^10\.0\.0\./);
    await eventually('InternalIP in the machine addresses', async () =>
      ((await machine(ns, 'cp-0')).status?.addresses ?? []).some(
        (a) => a.type === 'InternalIP' && a.address === privateNet.ip,
      ),
    );
    const balancerId = ready.status?.controlPlaneLoadBalancer?.id ?? 0;
    await eventually('a private target', async () => {
      const targets = (await loadBalancer(sim, balancerId)).targets as WireTarget[];
      return targets.at(0)?.server?.id === cpServer && targets.at(0)?.use_private_ip === true;
    });
  }

  /** Fills the md-0 group up to Hetzner's 10 servers; the next machine cannot join it. */
  async function fullGroupIsAMachineCondition(
    sim: SimCloudEnv,
    ns: string,
    ready: HetznerCluster,
  ): Promise<void> {
    const group = ready.status?.hcloudPlacementGroups?.find((g) => g.name === 'md-0')?.id ?? assert.fail();
    for (let index = 0; index < 10; index += 1) {
      const made = await sim.api.call('POST', '/servers', {
        name: `filler-${index}`,
        server_type: 'cpx22',
        image: 'ubuntu-24.04',
        placement_group: group,
      });
      assert.equal(made.status, 201, JSON.stringify(made.body));
    }
    await createMachineObjects(api.client, ns, 'worker-full', machineSpec('md-0'));
    await eventually('ServerCreateSucceeded False naming the full group', async () => {
      const condition = conditionOf(await machine(ns, 'worker-full'), 'ServerCreateSucceeded');
      return (
        condition?.status === 'False' && /placement group "md-0".*at most 10/.test(condition.message ?? '')
      );
    });
    assert.equal((await machine(ns, 'worker-full')).spec.providerID, undefined, 'no server');
    for (const server of (await sim.api.call('GET', '/servers')).body.servers as {
      id: number;
      name: string;
    }[])
      if (server.name.startsWith('filler-')) await sim.api.call('DELETE', `/servers/${server.id}`);
  }

  async function deleteAll(ns: string): Promise<void> {
    for (const item of (await api.client.list(hcloudMachinesKind, { namespace: ns })).items)
      await api.client.delete(hcloudMachinesKind, ns, item.metadata.name ?? '');
    await api.client.delete(hetznerClusters, ns, 'my-cluster');
    await eventually(
      'the HetznerCluster gone',
      async () => (await api.client.list(hetznerClusters, { namespace: ns })).items.length === 0,
      60_000,
    );
  }

  function cluster(ns: string): Promise<HetznerCluster> {
    return api.client.get<HetznerCluster>(hetznerClusters, ns, 'my-cluster');
  }

  function machine(ns: string, name: string): Promise<Machine> {
    return api.client.get<Machine>(hcloudMachinesKind, ns, name);
  }

  async function serverIdOf(ns: string, name: string): Promise<number> {
    let id = 0;
    await eventually(
      `${name} has a server`,
      async () => {
        id = Number(((await machine(ns, name)).spec.providerID ?? '').slice('hcloud://'.length));
        return id > 0;
      },
      60_000,
    );
    return id;
  }
});

function conditionOf(object: { status?: { conditions?: Condition[] } }, type: string): Condition | undefined {
  return object.status?.conditions?.find((condition) => condition.type === type);
}

async function loadBalancer(sim: SimCloudEnv, id: number): Promise<Record<string, unknown>> {
  return (await sim.api.call('GET', `/load_balancers/${id}`)).body.load_balancer as Record<string, unknown>;
}
