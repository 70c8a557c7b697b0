/** bench/capi-cluster.ts's figures as a table on stdout (the JSON has every endpoint). */
import type { PhaseRequests } from './capi-cluster-requests.js';
import type { CreateTimes } from './capi-cluster-world.js';
import { row } from './provisioning-table.js';

interface CapiFigures {
  readonly workers: number;
  readonly simulator: { readonly seed: number; readonly timeScale: number };
  readonly cores: number;
  readonly loadAverage1m: { readonly before: number; readonly after: number };
  readonly createSeconds: CreateTimes;
  readonly phases: readonly {
    readonly name: string;
    readonly seconds: number;
    readonly requests: PhaseRequests;
  }[];
  readonly lifecycle: PhaseRequests;
  readonly leftInTheCloud: Record<string, number>;
}

const endpoints = (requests: PhaseRequests): string =>
  Object.entries(requests.perNodeByEndpoint)
    .map(([endpoint, perNode]) => `    ${endpoint.padEnd(58)} ${String(perNode).padStart(8)}`)
    .join('\n');

export function printCapiTable(f: CapiFigures): void {
  const t = f.createSeconds;
  const lines = [
    `capi-cluster bench: Cluster API 1.14 managers, KubeadmControlPlane 1 + ${String(f.workers)} workers, ` +
      `Cloud simulator realistic ×${String(f.simulator.timeScale)} (seed ${String(f.simulator.seed)}), real workload apiserver`,
    `${String(f.cores)} cores, 1-minute load average ${f.loadAverage1m.before.toFixed(1)} before, ${f.loadAverage1m.after.toFixed(1)} after (times stretch with it, request counts do not)`,
    '',
    row('manifests applied → first control-plane Node Ready (s)', t.firstControlPlaneNodeReady),
    row(`  → all ${String(f.workers)} worker Nodes Ready (s)`, t.allWorkerNodesReady),
    row('  → all Nodes Ready (s)', t.allNodesReady),
    row('  → every Machine Running with its nodeRef (s)', t.clusterSettled),
    '',
    `${'phase'.padEnd(22)} ${'seconds'.padStart(9)} ${'nodes'.padStart(6)} ${'requests'.padStart(9)} ${'per node'.padStart(9)} ${'429s'.padStart(5)} ${'ccm lookups'.padStart(12)}`,
  ];
  for (const p of [...f.phases, { name: 'whole lifecycle', seconds: NaN, requests: f.lifecycle }]) {
    const r = p.requests;
    lines.push(
      `${p.name.padEnd(22)} ${(Number.isNaN(p.seconds) ? '' : p.seconds.toFixed(1)).padStart(9)} ${String(r.nodes).padStart(6)} ${String(r.total).padStart(9)} ${String(r.perNode).padStart(9)} ${String(r.status429).padStart(5)} ${String(r.cloudControllerLookups).padStart(12)}`,
    );
  }
  lines.push(
    '',
    'nodes: created (create), added or removed (scale), deleted (delete), every server ever created (whole lifecycle);',
    'requests: imageurl’s as the simulator counted them; ccm lookups: the workload cluster’s cloud-controller stand-in, not included',
  );
  for (const p of [...f.phases, { name: 'whole lifecycle', requests: f.lifecycle }])
    lines.push('', `  ${p.name}: requests per node by endpoint`, endpoints(p.requests));
  lines.push('', `left in the cloud after delete: ${JSON.stringify(f.leftInTheCloud)}`);
  console.log(lines.join('\n'));
}
