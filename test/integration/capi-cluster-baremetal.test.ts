// A cluster under Cluster API 1.14's own managers whose workers are dedicated servers: the
// shipped hcloud-image-url template's control plane (KubeadmControlPlane of one on Hetzner Cloud)
// and its MachineDeployment turned to HetznerBareMetalMachineTemplates, with HetznerBareMetalHosts
// of the Robot simulator. The servers install the simulated OS with CABPK's bootstrap data and
// join the workload apiserver (ADR 0013); the workload cluster's cloud controller finds the
// dedicated servers in Robot by name and gives their Nodes the bare-metal providerID.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { API_VERSION } from '../../api/v1beta1/index.js';
import type { KubeObject } from '../../src/kube/index.js';
import { FINALIZER as HOST_FINALIZER } from '../../src/reconcilers/hetzner-bare-metal-host/index.js';
import {
  bareMetalHostsKind,
  bareMetalMachinesKind,
  type BareMetalHost,
} from '../support/bare-metal-objects.js';
import { FAST_REQUEUE } from '../support/bare-metal-provisioning.js';
import { startCapiEnv, type CapiEnv } from '../support/capi-controllers.js';
import { cloudResources, createCapiCluster, kinds, listIn } from '../support/capi-cluster-objects.js';
import {
  BARE_METAL_NODE_COMMAND,
  clusterSettlesAt as settles,
  installNodeCommand,
  NODE_COMMAND,
  workloadNodes,
} from '../support/capi-workload-nodes.js';
import { eventually } from '../support/kube-runtime-fixtures.js';
import { deleteNamespaceAndWait } from '../support/kube-objects.js';

const NS = 'capi-baremetal';
const CLUSTER = 'metal';
const DEPLOYMENT = `${CLUSTER}-md-0`;
const POOL = { 'imageurl.io/pool': 'capi-workers' };
const SERVERS = [321, 322, 323] as const;
const DEADLINE_MS = 480_000;
const MiB = 1024 * 1024;

interface MachineView extends KubeObject {
  spec: { providerID?: string };
  status?: { phase?: string; nodeRef?: { name?: string } };
}

const wwn = (server: number): string => `0x5000c5000${String(server)}01`;

/** The template's worker pool turned into dedicated servers (what a user edits for that). */
function bareMetalWorkers(object: Record<string, unknown>): Record<string, unknown> | undefined {
  const kind = object['kind'];
  const name = (object['metadata'] as { name?: string }).name;
  if (kind === 'HetznerCluster') {
    const spec = object['spec'] as { hetznerSecretRef: { key: Record<string, string> } };
    spec.hetznerSecretRef.key['hetznerRobotUser'] = 'robot-user';
    spec.hetznerSecretRef.key['hetznerRobotPassword'] = 'robot-password';
  }
  if (kind === 'MachineDeployment') {
    const template = (object['spec'] as { template: { spec: Record<string, unknown> } }).template.spec;
    delete template['failureDomain'];
    (template['infrastructureRef'] as Record<string, string>)['kind'] = 'HetznerBareMetalMachineTemplate';
  }
  // The pool's health check reboots through an HCloudRemediationTemplate: not for dedicated servers.
  if (name === `${DEPLOYMENT}-unhealthy` || name === `${DEPLOYMENT}-remediation`) return undefined;
  if (kind === 'HCloudMachineTemplate' && name === DEPLOYMENT)
    return {
      apiVersion: API_VERSION,
      kind: 'HetznerBareMetalMachineTemplate',
      metadata: object['metadata'],
      spec: {
        template: {
          spec: {
            hostSelector: { matchLabels: POOL },
            installImage: {
              imageURLCommand: BARE_METAL_NODE_COMMAND,
              image: { url: 'oci://registry.example.com/images/node:v1' },
              partitions: [],
            },
            sshSpec: {
              portAfterInstallImage: 22,
              secretRef: {
                name: 'hetzner-ssh',
                key: { name: 'sshkey-name', publicKey: 'ssh-publickey', privateKey: 'ssh-privatekey' },
              },
            },
          },
        },
      },
    };
  return object;
}

describe('Cluster API 1.14 managers with bare-metal workers: Nodes with hcloud://bm- providerIDs; scale down and delete free the hosts', () => {
  let env: CapiEnv | undefined;
  const workloadLog: string[] = [];

  before(async () => {
    const onLog = (line: string): void => {
      workloadLog.push(line);
      if (process.env.IMAGEURL_WORKLOAD_LOG) process.stderr.write(`${line}\n`);
    };
    env = await startCapiEnv({
      cloud: { workloadClusters: { onLog } },
      robot: {
        servers: SERVERS.map((number) => ({
          number,
          name: `dedicated-${String(number)}`,
          disks: [{ name: 'sda', sizeBytes: 64 * MiB, wwn: wwn(number) }],
        })),
        bareMetal: { timeoutsMs: { 'image-installing': 60_000 }, requeue: FAST_REQUEUE },
      },
    });
    await installNodeCommand(env);
    await createCapiCluster(env, {
      namespace: NS,
      name: CLUSTER,
      workers: 2,
      command: NODE_COMMAND,
      edit: bareMetalWorkers,
    });
    for (const serverID of SERVERS)
      await env.api.client.create(bareMetalHostsKind, {
        apiVersion: API_VERSION,
        kind: 'HetznerBareMetalHost',
        metadata: { name: `host-${String(serverID)}`, namespace: NS, labels: POOL },
        spec: { serverID, rootDeviceHints: { wwn: wwn(serverID) }, maintenanceMode: false },
      } as KubeObject);
  });

  after(async () => {
    if (process.exitCode) process.stderr.write(`workload clusters:\n${workloadLog.slice(-60).join('\n')}\n`);
    await env?.stop();
  });

  const machines = (e: CapiEnv, selector?: string): Promise<MachineView[]> =>
    listIn<MachineView>(e, kinds.machine, NS, selector);
  const workerSelector = `cluster.x-k8s.io/deployment-name=${DEPLOYMENT}`;
  const hosts = (e: CapiEnv): Promise<BareMetalHost[]> => listIn<BareMetalHost>(e, bareMetalHostsKind, NS);
  const isAvailable = (host: BareMetalHost): boolean =>
    host.spec.consumerRef === undefined && !host.spec.status?.provisioningState;

  /** One control plane and `workers` bare-metal workers Running with Nodes, exactly theirs in the workload cluster. */
  const clusterSettlesAt = (e: CapiEnv, workers: number): Promise<MachineView[]> =>
    settles<MachineView>(e, {
      namespace: NS,
      cluster: CLUSTER,
      deployment: DEPLOYMENT,
      workers,
      deadlineMs: DEADLINE_MS,
    });

  it('comes up: Machines Running with nodeRefs; bare-metal Nodes carry hcloud://bm-<server>, the control plane hcloud://<id>', async () => {
    const e = env ?? assert.fail();
    await e.explain(async () => {
      const all = await clusterSettlesAt(e, 2);
      const nodes = await workloadNodes(e, NS, CLUSTER);
      assert.equal(nodes.length, 3);
      const workers = await machines(e, workerSelector);
      const workerIDs = new Set(workers.map((m) => m.spec.providerID));
      const infra = await listIn<KubeObject & { spec: { providerID?: string } }>(
        e,
        bareMetalMachinesKind,
        NS,
      );
      assert.deepEqual(
        infra.map((m) => m.spec.providerID).sort(),
        [...workerIDs].sort(),
        'the providerIDs are the ones the bare-metal controller set',
      );
      for (const node of nodes) {
        const pattern = workerIDs.has(node.providerID)
          ? new RegExp(`^hcloud://bm-(${SERVERS.join('|')})$`)
          : /^hcloud:\/\/\d+$/;
        assert.match(node.providerID ?? '', pattern, node.name);
      }
      const byNode = new Map(all.map((m) => [m.status?.nodeRef?.name, m.spec.providerID]));
      for (const node of nodes)
        assert.equal(byNode.get(node.name), node.providerID, `${node.name}: its Machine’s providerID`);
      const claimed = (await hosts(e)).filter((host) => !isAvailable(host));
      assert.equal(claimed.length, 2, 'two hosts provisioned, one left available');
    });
  });

  it('scaling the MachineDeployment down by one frees a host and removes its Node', async () => {
    const e = env ?? assert.fail();
    await e.explain(async () => {
      await e.api.client.mergePatch(
        kinds.machineDeployment,
        { namespace: NS, name: DEPLOYMENT },
        { spec: { replicas: 1 } },
      );
      await clusterSettlesAt(e, 1);
      await eventually(
        'two hosts available again',
        async () => (await hosts(e)).filter(isAvailable).length === 2,
        DEADLINE_MS,
      );
      assert.equal((await listIn(e, bareMetalMachinesKind, NS)).length, 1);
    });
  });

  it('deleting the Cluster leaves every host available (its own finalizer only), no Cloud server, no Cluster API object; the namespace goes', async () => {
    const e = env ?? assert.fail();
    await e.explain(async () => {
      await e.api.client.delete(kinds.cluster, NS, CLUSTER);
      await eventually(
        'the Cluster gone',
        async () => (await e.api.client.find(kinds.cluster, NS, CLUSTER)) === undefined,
        DEADLINE_MS,
      );
      await eventually('every host available', async () => (await hosts(e)).every(isAvailable), DEADLINE_MS);
      assert.deepEqual(await cloudResources(e), { servers: [], load_balancers: [], placement_groups: [] });
      for (const kind of [kinds.machine, bareMetalMachinesKind, kinds.hcloudMachine, kinds.hetznerCluster]) {
        const left = (await listIn(e, kind, NS)).map((object) => object.metadata.name);
        assert.deepEqual(left, [], `no ${kind.kind} left`);
      }
      // A host outlives the cluster and keeps only its own finalizer (CAPH's), which goes with it.
      for (const host of await hosts(e))
        assert.deepEqual(host.metadata.finalizers ?? [], [HOST_FINALIZER], host.metadata.name);
      const held = (await listIn(e, kinds.secret, NS)).filter(
        (secret) => (secret.metadata.finalizers ?? []).length > 0,
      );
      assert.deepEqual(
        held.map((secret) => secret.metadata.name),
        [],
        'no Secret holds a finalizer',
      );
      for (const host of await hosts(e))
        await e.api.client.delete(bareMetalHostsKind, NS, host.metadata.name ?? assert.fail());
      await eventually('the hosts deleted', async () => (await hosts(e)).length === 0, DEADLINE_MS);
      for (const kind of [kinds.machineDeployment, kinds.machineSet, kinds.kubeadmConfig])
        assert.deepEqual(
          (await listIn(e, kind, NS)).map((object) => object.metadata.name),
          [],
          `no ${kind.kind} left`,
        );
      await deleteNamespaceAndWait(e.controlPlane.kubeConfig(), NS, DEADLINE_MS);
    });
  });
});
