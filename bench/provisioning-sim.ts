import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudSimulator } from '../sim/cloud/cloud-simulator.js';

/**
 * The Cloud simulator of bench/provisioning.ts, in a process of its own so the bench measures
 * the controller's memory without the simulator's. Every action and boot takes zero simulated
 * time. Prints one JSON line (endpoint, token, admin URL and token), then runs until SIGTERM,
 * SIGINT or the end of stdin (the bench died), and removes everything on the way out.
 */
async function main(): Promise<void> {
  const scratch = await mkdtemp(join(tmpdir(), 'imageurl-bench-provisioning-'));
  const sim = await CloudSimulator.start({
    stateDir: join(scratch, 'state'),
    profile: 'fast',
    diskBytes: 64 * 1024 * 1024,
    durations: {
      createServerMs: 0,
      startServerMs: 0,
      stopServerMs: 0,
      resetServerMs: 0,
      rescueToggleMs: 0,
      deleteServerMs: 0,
      rescueBootMs: 0,
      osBootMs: 0,
    },
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
