import { setTimeout as delay } from 'node:timers/promises';
import { formatNodeTable, listWorkloadNodes, type WorkloadNodeRow } from '../../sim/cluster-api/index.js';
import {
  Informer,
  secretKind,
  silentLogger,
  type KindRef,
  type KubeClient,
  type KubeObject,
} from '../kube/index.js';
import { hcloudMachines } from '../reconcilers/shared/kinds.js';
import { applyCapiCluster } from './capi-objects.js';
import { hcloudMachineStates } from './cloud-flavour.js';
import { counted } from './counted.js';
import type { DemoFlavour, FlavourContext } from './demo-flavour.js';
import { DEMO_CLUSTER, DEMO_NAMESPACE } from './demo-objects.js';

const machinesKind: KindRef = {
  group: 'cluster.x-k8s.io',
  version: 'v1beta2',
  kind: 'Machine',
  plural: 'machines',
  namespaced: true,
};

interface MachineView extends KubeObject {
  spec?: { providerID?: string; infrastructureRef?: { name?: string } };
  status?: { phase?: string; nodeRef?: { name?: string } };
}

/** How long Nodes may take to register and turn Ready once every server runs its OS. */
const NODES_DEADLINE_MS = 240_000;

/**
 * The Cluster API story: Cluster API's own managers turn the shipped hcloud-image-url template
 * (a KubeadmControlPlane of one, a MachineDeployment of `machines` workers) into Machines, our
 * controller into servers, and the simulated OS runs kubeadm's init/join with CABPK's bootstrap
 * data, so the workload cluster's Nodes register for real (ADR 0013).
 */
export function capiFlavour(context: FlavourContext, kubectl: string): DemoFlavour {
  const { stack } = context;
  const total = context.machines + 1;
  return {
    followed: hcloudMachines,
    states: hcloudMachineStates,
    noun: 'machine',
    successState: 'OperatingSystemRunning',
    expected: total,
    controller: { settings: {}, secrets: [] },
    applying: `applying the hcloud-image-url template: Cluster, KubeadmControlPlane (1) and MachineDeployment (${counted(context.machines, 'worker')})`,
    apply: async (client) => {
      await applyCapiCluster(client, {
        root: context.paths.root,
        workers: context.machines,
        imageURL: stack.imageURL,
        imageURLCommand: context.imageURLCommand,
        hcloudToken: stack.cloud.token,
        rescueKey: {
          name: context.rescueKeyName,
          publicKey: stack.rescueKey.publicKey,
          privateKey: stack.rescueKey.privateKey,
        },
      });
      return `namespace ${DEMO_NAMESPACE}; imageURL ${stack.imageURL}, imageURLCommand ${context.imageURLCommand}`;
    },
    follow: (client, print) => followMachinePhases(client, print),
    osTargets: () => Promise.resolve([]),
    finish: (client, print) =>
      reportNodes(client, print, { kubectl, dir: context.paths.work, expected: total }),
    lookAround: {
      resources: 'machines,hcloudmachines',
      describe: 'hcloudmachines',
      endpoints: [],
    },
  };
}

/** Prints each Machine's phase as Cluster API changes it; returns the informer's stop. */
function followMachinePhases(client: KubeClient, print: (line: string) => void): () => Promise<void> {
  const phases = new Map<string, string>();
  const informer = new Informer<MachineView>(client, {
    kind: machinesKind,
    namespace: DEMO_NAMESPACE,
    log: silentLogger(),
  });
  informer.onChange(({ object }) => {
    const name = object.metadata.name ?? '';
    const phase = object.status?.phase ?? '';
    if (phase === '' || phases.get(name) === phase) return;
    phases.set(name, phase);
    const node = object.status?.nodeRef?.name;
    print(`  Machine ${name}: ${phase}${node === undefined ? '' : ` (Node ${node})`}`);
  });
  informer.start();
  return () => informer.stop();
}

async function machinesRunning(client: KubeClient, expected: number): Promise<boolean> {
  const machines = await client.list<MachineView>(machinesKind, { namespace: DEMO_NAMESPACE });
  return machines.items.length >= expected && machines.items.every((m) => m.status?.phase === 'Running');
}

const healthy = (node: WorkloadNodeRow): boolean => node.ready && node.providerID.startsWith('hcloud://');

interface NodesSeen {
  readonly kubeconfigPath: string;
  readonly nodes: WorkloadNodeRow[];
}

/** The workload cluster's Nodes through the kubeconfig Secret Cluster API wrote. */
async function readNodes(client: KubeClient, kubectl: string, dir: string): Promise<NodesSeen> {
  const secret = await client.get<KubeObject & { data?: Record<string, string> }>(
    secretKind,
    DEMO_NAMESPACE,
    `${DEMO_CLUSTER}-kubeconfig`,
  );
  return listWorkloadNodes({
    kubectl,
    kubeconfig: Buffer.from(secret.data?.['value'] ?? '', 'base64'),
    dir,
    cluster: DEMO_CLUSTER,
  });
}

/** Polls until `expected` Nodes are healthy or the deadline; the last answer, or why there was none. */
async function waitForNodes(
  client: KubeClient,
  options: { readonly kubectl: string; readonly dir: string; readonly expected: number },
): Promise<NodesSeen | string> {
  const deadline = Date.now() + NODES_DEADLINE_MS;
  let last: NodesSeen | string = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const seen = await readNodes(client, options.kubectl, options.dir);
      last = seen;
      const nodesReady = seen.nodes.length >= options.expected && seen.nodes.every(healthy);
      // Cluster API sets a Machine Running once it has seen its Node: the story ends after that.
      if (nodesReady && (await machinesRunning(client, options.expected))) return seen;
    } catch (error) {
      if (typeof last === 'string')
        last = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    }
    await delay(2_000);
  }
  return last;
}

/**
 * `kubectl get nodes -o wide` in the workload cluster through the kubeconfig Secret Cluster API
 * wrote; true once `expected` Nodes are Ready with hcloud:// providerIDs (waits for them to join).
 */
async function reportNodes(
  client: KubeClient,
  print: (line: string) => void,
  options: { readonly kubectl: string; readonly dir: string; readonly expected: number },
): Promise<boolean> {
  const seen = await waitForNodes(client, options);
  print('');
  if (typeof seen === 'string') {
    print(`The workload cluster did not answer: ${seen}`);
    return false;
  }
  print(
    `${options.kubectl} get nodes -o wide   (workload cluster, kubeconfig from Secret ${DEMO_CLUSTER}-kubeconfig)`,
  );
  for (const line of formatNodeTable(seen.nodes)) print(`  ${line}`);
  const ok = seen.nodes.length === options.expected && seen.nodes.every(healthy);
  print(
    ok
      ? `  ✓ ${counted(options.expected, 'node')} Ready with hcloud:// providerIDs`
      : `  ✗ expected ${counted(options.expected, 'Ready node')} with hcloud:// providerIDs`,
  );
  print(`Look into the workload cluster: export KUBECONFIG=${seen.kubeconfigPath}`);
  return ok;
}
