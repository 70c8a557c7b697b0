import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A Node of a workload cluster as `kubectl get nodes -o wide` shows it. */
export interface WorkloadNodeRow {
  readonly name: string;
  readonly ready: boolean;
  readonly providerID: string;
  readonly internalIP: string;
  readonly kubeletVersion: string;
}

interface NodeList {
  items: {
    metadata: { name: string };
    spec: { providerID?: string };
    status?: {
      conditions?: { type: string; status: string }[];
      addresses?: { type: string; address: string }[];
      nodeInfo?: { kubeletVersion?: string };
    };
  }[];
}

/**
 * The workload cluster's Nodes through `kubectl` with the kubeconfig Cluster API wrote (the
 * `<cluster>-kubeconfig` Secret's `value`), saved as `<dir>/<cluster>.kubeconfig` (mode 0600) so
 * the user can point KUBECONFIG at it too.
 */
export async function listWorkloadNodes(options: {
  readonly kubectl: string;
  readonly kubeconfig: Buffer;
  readonly dir: string;
  readonly cluster: string;
}): Promise<{ readonly kubeconfigPath: string; readonly nodes: WorkloadNodeRow[] }> {
  const kubeconfigPath = join(options.dir, `${options.cluster}.kubeconfig`);
  await writeFile(kubeconfigPath, options.kubeconfig, { mode: 0o600 });
  const { stdout } = await run(
    options.kubectl,
    ['--kubeconfig', kubeconfigPath, 'get', 'nodes', '-o', 'json', '--request-timeout=20s'],
    { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
  );
  return { kubeconfigPath, nodes: (JSON.parse(stdout) as NodeList).items.map(rowOf) };
}

function rowOf(node: NodeList['items'][number]): WorkloadNodeRow {
  const status = node.status ?? {};
  return {
    name: node.metadata.name,
    ready: status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    providerID: node.spec.providerID ?? '',
    internalIP: status.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '',
    kubeletVersion: status.nodeInfo?.kubeletVersion ?? '',
  };
}

/** The rows as `kubectl get nodes -o wide` prints them (name, status, version, address, providerID). */
export function formatNodeTable(nodes: readonly WorkloadNodeRow[]): string[] {
  const rows = [
    ['NAME', 'STATUS', 'VERSION', 'INTERNAL-IP', 'PROVIDER-ID'],
    ...nodes.map((n) => [
      n.name,
      n.ready ? 'Ready' : 'NotReady',
      n.kubeletVersion,
      n.internalIP,
      n.providerID,
    ]),
  ];
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('   ')
      .trimEnd(),
  );
}
