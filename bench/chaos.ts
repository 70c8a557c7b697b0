import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { nonZero, table } from './chaos-figures.js';
import { runChaos } from './chaos-run.js';

/**
 * The chaos soak of issue #18: hcloud and bare-metal machines provisioned and deleted while two
 * controller replicas (leader election) are SIGKILLed at seeded moments, the simulators inject
 * API faults, rescue boots never come up or drop SSH, commands fail, and the kube-apiserver is
 * out of reach once. Writes bench/results/chaos-<time>.json, prints a table, and exits 1 when a
 * zero-figure is not zero. Usage: node --import tsx bench/chaos.ts [--seed 1] [--minutes 20]
 * [--hcloud 20] [--baremetal 8] [--kills 50] [--outage-seconds 30] [--cleanup-minutes 10]
 * [--fault-scale 1] (0: no simulator faults, for a calm baseline)
 * Needs root (the simulated servers boot in namespaces) and a TMPDIR outside /tmp, which the
 * rescue systems cover with their own (the commands reach the scratch folder through it).
 */
function option(name: string, fallback: string): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = Number(at > 0 ? (process.argv[at + 1] ?? fallback) : fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name}: a non-negative number, not ${value}`);
  return value;
}

async function main(): Promise<void> {
  const interrupted = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      console.error(`${signal}: stopping everything the soak started`);
      interrupted.abort();
    });
  const options = {
    signal: interrupted.signal,
    seed: option('seed', '1'),
    minutes: option('minutes', '20'),
    hcloudMachines: option('hcloud', '20'),
    bareMetalMachines: option('baremetal', '8'),
    kills: option('kills', '50'),
    outageSeconds: option('outage-seconds', '30'),
    cleanupMinutes: option('cleanup-minutes', '10'),
    faultScale: option('fault-scale', '1'),
    progress: (line: string) => console.error(`${new Date().toISOString()} ${line}`),
  };
  const figures = await runChaos(options);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const results = new URL('./results/', import.meta.url);
  await mkdir(results, { recursive: true });
  const record = {
    date: new Date().toISOString(),
    cores: cpus().length,
    node: process.versions.node,
    argv: process.argv.slice(2),
    figures,
  };
  await writeFile(new URL(`chaos-${stamp}.json`, results), `${JSON.stringify(record, null, 2)}\n`);
  console.log(table(figures));
  console.log(`written to bench/results/chaos-${stamp}.json`);
  const failures = nonZero(figures);
  if (failures.length > 0) {
    console.error(`zero-figures not zero: ${failures.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
