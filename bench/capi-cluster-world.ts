// What bench/capi-cluster.ts waits on: the cluster's Machines (management apiserver), the
// workload cluster's Nodes (kubectl with the kubeconfig Secret) and the simulator's servers
// (read in process, so the bench's own looking sends no hcloud request).
import { waitFor } from '../sim/process/wait-for.js';
import type { KubeObject } from '../src/kube/index.js';
import { kinds, listIn } from '../test/support/capi-cluster-objects.js';
import type { CapiEnv } from '../test/support/capi-controllers.js';
import { workloadNodes, type WorkloadNode } from '../test/support/capi-workload-nodes.js';

interface MachineView extends KubeObject {
  spec: { providerID?: string };
  status?: { phase?: string; nodeRef?: { name?: string } };
}

export interface ClusterView {
  readonly machines: readonly MachineView[];
  readonly controlPlaneIDs: readonly string[];
  readonly workerIDs: readonly string[];
  readonly nodes: readonly WorkloadNode[];
  readonly serverIDs: readonly string[];
}

const CONTROL_PLANE = 'cluster.x-k8s.io/control-plane';

/** One look at everything; no Nodes yet while the workload cluster has no kubeconfig or apiserver. */
export async function look(env: CapiEnv, namespace: string, cluster: string): Promise<ClusterView> {
  const machines = await listIn<MachineView>(env, kinds.machine, namespace);
  const ids = (list: MachineView[]): string[] =>
    list.flatMap((m) => (m.spec.providerID === undefined ? [] : [m.spec.providerID]));
  const nodes = await workloadNodes(env, namespace, cluster).catch(() => []);
  return {
    machines,
    controlPlaneIDs: ids(machines.filter((m) => m.metadata.labels?.[CONTROL_PLANE] !== undefined)),
    workerIDs: ids(machines.filter((m) => m.metadata.labels?.[CONTROL_PLANE] === undefined)),
    nodes,
    serverIDs: env.cloud.sim.servers().map((s) => `hcloud://${String(s.id)}`),
  };
}

const readyIDs = (view: ClusterView): Set<string> =>
  new Set(view.nodes.filter((n) => n.ready).map((n) => n.providerID ?? ''));
const same = (a: readonly string[], b: readonly string[]): boolean =>
  JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

/**
 * Settled at `workers`: one control plane and `workers` workers, every Machine Running with a
 * nodeRef and none being deleted, one server per Machine and no other, and the workload
 * cluster's Nodes exactly the Machines', all Ready.
 */
export function settled(view: ClusterView, workers: number): boolean {
  const ids = [...view.controlPlaneIDs, ...view.workerIDs];
  return (
    view.controlPlaneIDs.length === 1 &&
    view.workerIDs.length === workers &&
    view.machines.length === workers + 1 &&
    view.machines.every(
      (m) =>
        m.metadata.deletionTimestamp === undefined &&
        m.status?.phase === 'Running' &&
        m.status.nodeRef?.name !== undefined,
    ) &&
    same(view.serverIDs, ids) &&
    same(
      view.nodes.map((n) => n.providerID ?? ''),
      ids,
    ) &&
    view.nodes.every((n) => n.ready)
  );
}

/** The cluster being measured, and how long any one wait may last. */
export interface Watched {
  readonly env: CapiEnv;
  readonly namespace: string;
  readonly cluster: string;
  readonly deadlineMs: number;
}

export interface CreateTimes {
  /** From the first object applied, in seconds; polled about once a second. */
  readonly firstControlPlaneNodeReady: number;
  readonly allWorkerNodesReady: number;
  readonly allNodesReady: number;
  /** Every Machine Running with its nodeRef too (Cluster API noticed the Nodes). */
  readonly clusterSettled: number;
}

/** Waits for the cluster to come up with `workers` workers; when each milestone was first seen. */
export async function waitCreated(w: Watched, workers: number, appliedAt: number): Promise<CreateTimes> {
  const seen = new Map<keyof CreateTimes, number>();
  const mark = (key: keyof CreateTimes): void => {
    if (!seen.has(key)) seen.set(key, Math.round(Date.now() - appliedAt) / 1000);
  };
  await waitFor(
    async () => {
      const view = await look(w.env, w.namespace, w.cluster);
      const ready = readyIDs(view);
      if (view.controlPlaneIDs.some((id) => ready.has(id))) mark('firstControlPlaneNodeReady');
      const readyWorkers = view.workerIDs.filter((id) => ready.has(id)).length;
      if (view.workerIDs.length === workers && readyWorkers === workers) mark('allWorkerNodesReady');
      if (seen.has('firstControlPlaneNodeReady') && seen.has('allWorkerNodesReady')) mark('allNodesReady');
      if (!settled(view, workers)) return undefined;
      mark('clusterSettled');
      return true;
    },
    {
      deadlineMs: w.deadlineMs,
      initialIntervalMs: 500,
      description: `the cluster up with ${String(workers)} workers`,
    },
  );
  return Object.fromEntries(seen) as unknown as CreateTimes;
}

/** Waits until the cluster settles at `workers`; returns the seconds it took from `since`. */
export async function waitSettled(w: Watched, workers: number, since: number): Promise<number> {
  await waitFor(
    async () => (settled(await look(w.env, w.namespace, w.cluster), workers) ? true : undefined),
    {
      deadlineMs: w.deadlineMs,
      initialIntervalMs: 500,
      description: `the cluster settled at ${String(workers)} workers`,
    },
  );
  return Math.round(Date.now() - since) / 1000;
}

/** Waits until the Cluster object is gone and the simulator has no server left. */
export async function waitDeleted(w: Watched, since: number): Promise<number> {
  await waitFor(
    async () =>
      (await w.env.api.client.find(kinds.cluster, w.namespace, w.cluster)) === undefined &&
      w.env.cloud.sim.servers().length === 0
        ? true
        : undefined,
    { deadlineMs: w.deadlineMs, initialIntervalMs: 500, description: 'the Cluster and every server gone' },
  );
  return Math.round(Date.now() - since) / 1000;
}
