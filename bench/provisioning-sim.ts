import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudSimulator, type CloudSimulatorOptions } from '../sim/cloud/cloud-simulator.js';

const zero = {
  createServerMs: 0,
  startServerMs: 0,
  stopServerMs: 0,
  resetServerMs: 0,
  rescueToggleMs: 0,
  deleteServerMs: 0,
  rescueBootMs: 0,
  osBootMs: 0,
};

function arg(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}

/** Zero durations, or with --realistic Hetzner's measured ones (--seed, --time-scale, --while-booting). */
function timing(): Partial<CloudSimulatorOptions> {
  if (!process.argv.includes('--realistic')) return { profile: 'fast', durations: zero };
  return {
    profile: 'realistic',
    seed: Number(arg('seed') ?? 1),
    timeScale: Number(arg('time-scale') ?? 1),
    whileBooting: arg('while-booting') === 'drop' ? 'drop' : 'refuse',
  };
}

/**
 * The Cloud simulator of the provisioning benches, in a process of its own so the bench
 * measures the controller's memory without the simulator's. Every action and boot takes zero
 * simulated time, unless --realistic; --rate-limit-per-hour N sets the project's request budget
 * (default Hetzner's 3600, on the wall clock whatever the time scale). Prints one JSON line (endpoint, token, admin URL and
 * token), then runs until SIGTERM, SIGINT or the end of stdin (the bench died), and removes
 * everything on the way out.
 */
async function main(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'imageurl-bench-provisioning-'));
  const sim = await CloudSimulator.start({
    stateDir: join(scratch, 'state'),
    diskBytes: 64 * 1024 * 1024,
    ...timing(),
    ...(arg('rate-limit-per-hour') === undefined
      ? {}
      : { rateLimitPerHour: Number(arg('rate-limit-per-hour')) }),
  });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await sim.stop();
      await rm(scratch, { recursive: true, force: true });
    })());
  const ended = new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
    process.stdin.once('end', () => resolve());
    process.stdin.once('close', () => resolve());
    process.stdin.resume();
  });
  const facts = {
    endpoint: sim.endpoint,
    token: sim.token,
    adminUrl: sim.adminUrl,
    adminToken: sim.adminToken,
  };
  process.stdout.write(`${JSON.stringify(facts)}\n`);
  await ended;
  await stop();
  if (sim.errors.length > 0) console.error(`simulator errors: ${sim.errors.map(String).join('; ')}`);
  process.stdin.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
