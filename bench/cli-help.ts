import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { summarize, type Summary } from './summary.js';

/**
 * How fast `imageurl --help` and `imageurl controller --help` answer once built (compiled
 * JavaScript, as installed; not through tsx). Goal: < 500 ms each. Compiles into .bench-build/
 * (removed afterwards) so the checkout's dist/ is left alone. Wall time is the goal; the CPU time
 * (user + system) is printed beside it because it stays readable when the machine is busy.
 * Usage: npx tsx bench/cli-help.ts [--runs N]
 */
const run = promisify(execFile);
const root = fileURLToPath(new URL('../', import.meta.url));
const outDir = `${root}.bench-build`;
const GOAL_MS = 500;

interface Sample {
  readonly wallMs: number;
  /** user + system CPU time of the child: what the command costs, whatever else the machine runs. */
  readonly cpuMs: number;
}

/** The shell's `times` prints its children's user and system time (as 0m0.123s) on its second line. */
function childCpuMs(timesOutput: string): number {
  const children = timesOutput.trim().split('\n').at(-1) ?? '';
  const spans = [...children.matchAll(/(\d+)m([\d.]+)s/g)];
  if (spans.length !== 2) throw new Error(`unexpected output of times: ${JSON.stringify(timesOutput)}`);
  return spans.reduce(
    (sum, [, minutes, seconds]) => sum + (Number(minutes) * 60 + Number(seconds)) * 1000,
    0,
  );
}

async function timeRun(args: readonly string[]): Promise<Sample> {
  const argv = [process.execPath, ...(args[0] === '-e' ? args : [`${outDir}/src/cli/main.js`, ...args])];
  const started = performance.now();
  const { stdout } = await run('sh', ['-c', '"$@" >/dev/null; times', 'sh', ...argv]);
  return { wallMs: performance.now() - started, cpuMs: childCpuMs(stdout) };
}

async function main(): Promise<void> {
  const runsFlag = process.argv.indexOf('--runs');
  const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 10;
  if (!Number.isInteger(runs) || runs < 1 || runs > 100)
    throw new Error('--runs must be an integer from 1 to 100');
  await rm(outDir, { recursive: true, force: true });
  try {
    await run(process.execPath, [
      `${root}node_modules/typescript/bin/tsc`,
      '-p',
      `${root}tsconfig.build.json`,
      '--outDir',
      outDir,
    ]);
    // The floor on this machine right now (node starting and loading nothing), to read the others by.
    const cases: Record<string, readonly string[]> = {
      'node -e "" (floor)': ['-e', ''],
      'imageurl --help': ['--help'],
      'imageurl controller --help': ['controller', '--help'],
    };
    const figures: Record<string, Summary & { goalMs: number; cpu: Summary }> = {};
    for (const [name, args] of Object.entries(cases)) {
      await timeRun(args); // the first run fills the file cache; not counted
      const samples: Sample[] = [];
      for (let i = 0; i < runs; i++) samples.push(await timeRun(args));
      figures[name] = {
        ...summarize(samples.map((sample) => sample.wallMs)),
        goalMs: GOAL_MS,
        cpu: summarize(samples.map((sample) => sample.cpuMs)),
      };
    }
    const load = loadavg()[0] ?? 0;
    console.log(
      `cli help bench, ${runs} runs, ${cpus().length} cores, load ${load.toFixed(1)}, node ${process.versions.node}`,
    );
    for (const [name, f] of Object.entries(figures)) {
      const verdict = f.medianMs <= f.goalMs ? 'meets' : 'MISSES';
      console.log(
        `${name.padEnd(28)} median ${f.medianMs.toFixed(0).padStart(5)} ms  min ${f.minMs.toFixed(0).padStart(5)} ms  max ${f.maxMs.toFixed(0).padStart(5)} ms  (${verdict} goal < ${f.goalMs} ms)  cpu median ${f.cpu.medianMs.toFixed(0).padStart(5)} ms`,
      );
    }
    const results = new URL('./results/', import.meta.url);
    await mkdir(results, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const record = {
      date: new Date().toISOString(),
      runs,
      cores: cpus().length,
      load,
      node: process.versions.node,
      figures,
    };
    await writeFile(new URL(`cli-help-${stamp}.json`, results), `${JSON.stringify(record, null, 2)}\n`);
    console.log(`written to bench/results/cli-help-${stamp}.json`);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
