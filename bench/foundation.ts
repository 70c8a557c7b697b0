import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { measureControlPlaneStart } from './control-plane-start.js';
import { measureRescueHostBoot } from './rescue-host-boot.js';
import { summarize, type Summary } from './summary.js';

/**
 * Foundation figures: how long a local control plane (etcd + kube-apiserver, binaries built)
 * and a rescue host take to become usable. Goals: control plane < 10 s, rescue host < 1 s.
 * Usage: npm run bench [-- --runs N]
 */
async function main(): Promise<void> {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;
  if (!Number.isInteger(runs) || runs < 1 || runs > 50)
    throw new Error('--runs must be an integer from 1 to 50');

  const controlPlane: number[] = [];
  const withCrds: number[] = [];
  const rescueListening: number[] = [];
  const rescueReady: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = await measureControlPlaneStart();
    controlPlane.push(start.controlPlaneReadyMs);
    withCrds.push(start.clusterApiCrdsReadyMs);
    const boot = await measureRescueHostBoot();
    rescueListening.push(boot.sshdListeningMs);
    rescueReady.push(boot.rescueReadyMs);
  }

  const figures: Record<string, Summary & { goalMs: number }> = {
    'control plane ready (etcd + kube-apiserver /readyz)': { ...summarize(controlPlane), goalMs: 10_000 },
    'Cluster API CRDs Established (after /readyz)': { ...summarize(withCrds), goalMs: 10_000 },
    'rescue host sshd listening': { ...summarize(rescueListening), goalMs: 1_000 },
    'rescue host ready (ssh hostname = rescue)': { ...summarize(rescueReady), goalMs: 1_000 },
  };
  console.log(`foundation bench, ${runs} runs, ${cpus().length} cores`);
  for (const [name, f] of Object.entries(figures)) {
    const verdict = f.medianMs <= f.goalMs ? 'meets' : 'MISSES';
    console.log(
      `${name.padEnd(52)} median ${fmt(f.medianMs)}  min ${fmt(f.minMs)}  max ${fmt(f.maxMs)}  (${verdict} goal < ${f.goalMs} ms)`,
    );
  }
  const results = new URL('./results/', import.meta.url);
  await mkdir(results, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = new URL(`foundation-${stamp}.json`, results);
  await writeFile(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), runs, cores: cpus().length, figures }, null, 2)}\n`,
  );
  console.log(`written to bench/results/foundation-${stamp}.json`);
}

function fmt(ms: number): string {
  return `${ms.toFixed(0).padStart(6)} ms`;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
