import { waitFor } from '../sim/process/wait-for.js';
import type { LoggedRequest } from '../sim/http/request-log.js';
import { secretKind, type KubeClient, type KubeObject } from '../src/kube/index.js';
import { caphHetznerClusterSpec, createClusterObjects } from '../test/support/cluster-infra-objects.js';
import {
  createLabelledMachineObjects,
  hcloudMachinesKind,
  hetznerClusters,
} from '../test/support/provisioning-objects.js';
import { byEndpoint, type SimProcess } from './provisioning-support.js';
import { row } from './provisioning-table.js';

/**
 * The cluster scenario of bench/provisioning.ts: hcloud requests for a whole cluster, creation to
 * deletion. CAPH's default HetznerCluster (control-plane load balancer, spread placement groups
 * `control-plane` and `md-0`, no private network), 1 control-plane machine and 3 workers, all
 * from an image URL; runs until every machine runs its OS and the control plane is the load
 * balancer's target, then deletes machines and cluster and waits until the cluster is gone.
 */
export interface ClusterBenchEnv {
  readonly sim: SimProcess;
  readonly client: KubeClient;
  readonly createNamespace: (name: string) => Promise<unknown>;
  /** Whether the machine's bootState has been OperatingSystemRunning. */
  readonly running: (name: string) => boolean;
  readonly rescueKey: { readonly name: string; readonly publicKey: string; readonly privateKey: string };
  readonly command: string;
}

const NS = 'bench-cluster';
const MACHINES = [
  { name: 'cp-0', group: 'control-plane', controlPlane: true },
  ...['md-0-a', 'md-0-b', 'md-0-c'].map((name) => ({ name, group: 'md-0', controlPlane: false })),
];

interface ClusterObject extends KubeObject {
  status?: { ready?: boolean; controlPlaneLoadBalancer?: { targets?: unknown[] } };
}

export async function clusterFigures(env: ClusterBenchEnv): Promise<Record<string, unknown>> {
  await env.sim.resetCounters();
  const began = Date.now();
  await createCluster(env);
  const until = async (what: string, done: () => Promise<boolean>): Promise<void> => {
    await waitFor(async () => ((await done()) ? true : undefined), {
      deadlineMs: 300_000,
      description: what,
    });
  };
  const cluster = (): Promise<ClusterObject> =>
    env.client.get<ClusterObject>(hetznerClusters, NS, 'my-cluster');
  await until('every machine running, the control plane a load-balancer target', async () => {
    const balancer = (await cluster()).status?.controlPlaneLoadBalancer;
    return MACHINES.every((m) => env.running(m.name)) && (balancer?.targets ?? []).length === 1;
  });
  const createdMs = Date.now() - began;
  const creation = await env.sim.requests();
  const servers = new Map(
    await Promise.all(MACHINES.map(async (m) => [await serverId(env.client, m.name), m.name] as const)),
  );

  const deleteBegan = Date.now();
  for (const machine of MACHINES) await env.client.delete(hcloudMachinesKind, NS, machine.name);
  await env.client.delete(hetznerClusters, NS, 'my-cluster');
  await until('the HetznerCluster gone (load balancer, placement groups deleted)', async () => {
    const left = await env.client.list(hetznerClusters, { namespace: NS });
    return left.items.length === 0;
  });
  const deletedMs = Date.now() - deleteBegan;
  const all = await env.sim.requests();
  const deletion = all.slice(creation.length);
  // Its create (POST /servers names no server yet) and every request naming its server,
  // action polls included (the simulator knows whose action it is).
  const perMachine = Object.fromEntries(
    MACHINES.map((m) => [m.name, 1 + all.filter((r) => servers.get(Number(r.server)) === m.name).length]),
  );
  return {
    machines: { controlPlanes: 1, workers: 3 },
    hetznerCluster: 'load balancer lb11, placement groups control-plane and md-0 (spread), no network',
    secondsToAllRunning: createdMs / 1000,
    secondsToDeleted: deletedMs / 1000,
    requests: { total: all.length, creation: creation.length, deletion: deletion.length },
    requestsPerMachine: Math.round((all.length / MACHINES.length) * 100) / 100,
    byKind: kinds(all),
    eachMachinesServer: perMachine,
    byEndpoint: { creation: byEndpoint(creation), deletion: byEndpoint(deletion) },
  };
}

/** Requests grouped as a reader asks about them: actions, servers, load balancers, … */
function kinds(requests: readonly LoggedRequest[]): Record<string, number> {
  const count = (match: (r: LoggedRequest) => boolean): number => requests.filter(match).length;
  const on = (family: string) => (r: LoggedRequest) => r.endpoint.includes(` /v1/${family}`);
  return {
    'GET /actions (polling)': count((r) => r.endpoint.startsWith('GET /v1/actions')),
    'POST /servers (create)': count((r) => r.endpoint === 'POST /v1/servers'),
    'other server calls (get, actions, delete)': count(
      (r) => on('servers')(r) && r.endpoint !== 'POST /v1/servers',
    ),
    'load balancer calls': count(on('load_balancers')),
    'placement group calls': count(on('placement_groups')),
    'network calls': count(on('networks')),
    'lookups (server types, images, SSH keys)': count(
      (r) => on('server_types')(r) || on('images')(r) || on('ssh_keys')(r),
    ),
    'HTTP 429': count((r) => r.status === 429),
  };
}

async function createCluster(env: ClusterBenchEnv): Promise<void> {
  await env.createNamespace(NS);
  const key = env.rescueKey;
  const encoded = (value: string): string => Buffer.from(value).toString('base64');
  await env.client.create(secretKind, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'robot-ssh', namespace: NS },
    data: {
      'sshkey-name': encoded(key.name),
      'ssh-publickey': encoded(key.publicKey),
      'ssh-privatekey': encoded(key.privateKey),
    },
  } as KubeObject);
  const sshKeys = {
    hcloud: [{ name: key.name }],
    robotRescueSecretRef: {
      name: 'robot-ssh',
      key: { name: 'sshkey-name', publicKey: 'ssh-publickey', privateKey: 'ssh-privatekey' },
    },
  };
  await createClusterObjects(env.client, NS, env.sim.token, caphHetznerClusterSpec({ sshKeys }));
  for (const machine of MACHINES)
    await createLabelledMachineObjects(
      env.client,
      {
        ns: NS,
        name: machine.name,
        labels: machine.controlPlane ? { 'cluster.x-k8s.io/control-plane': '' } : {},
      },
      {
        type: 'cpx22',
        imageURL: 'oci://registry.example.com/images/node:v1',
        imageURLCommand: env.command,
        placementGroupName: machine.group,
      },
    );
}

async function serverId(client: KubeClient, name: string): Promise<number> {
  const machine = await client.get<KubeObject & { spec: { providerID?: string } }>(
    hcloudMachinesKind,
    NS,
    name,
  );
  return Number((machine.spec.providerID ?? '').slice('hcloud://'.length));
}

export function printClusterTable(figures: Record<string, unknown>): void {
  const requests = figures.requests as Record<string, number>;
  const lines = [
    '',
    'cluster: HetznerCluster with load balancer + 2 placement groups, 1 control plane + 3 workers',
    row(
      '  time to every machine running (s) / to the cluster deleted (s)',
      `${String(figures.secondsToAllRunning)} / ${String(figures.secondsToDeleted)}`,
    ),
    row(
      '  hcloud requests, total (creation + deletion)',
      `${requests.total} (${requests.creation} + ${requests.deletion})`,
    ),
    row('  per machine (total / 4)', figures.requestsPerMachine),
    ...Object.entries(figures.byKind as Record<string, number>).map(([kind, n]) => row(`    ${kind}`, n)),
    ...Object.entries(figures.eachMachinesServer as Record<string, number>).map(([name, n]) =>
      row(`  for ${name}'s server (create, actions, their polls, get, delete)`, n),
    ),
  ];
  console.log(lines.join('\n'));
}
