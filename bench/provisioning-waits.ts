import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSshKeyPair } from '../sim/host/ssh-keys.js';
import { buildTestImage } from '../sim/os-image/build-image.js';
import { startControlPlane, type KubeControlPlane } from '../sim/kube-control-plane/index.js';
import { waitFor } from '../sim/process/wait-for.js';
import { runController } from '../src/setup/index.js';
import { eventKind, Informer, resolveRuntimeOptions, type KubeObject } from '../src/kube/index.js';
import { createNamespace } from '../test/support/kube-objects.js';
import { CRD_DIR, testClient } from '../test/support/kube-runtime-fixtures.js';
import { createProvisioningObjects, hcloudMachinesKind } from '../test/support/provisioning-objects.js';
import { SimCloudClient } from '../test/support/sim-cloud-client.js';
import type { StateSeen } from './provisioning-single.js';
import { createMachine, SimProcess } from './provisioning-support.js';
import { waitFigures, type MachineRun } from './provisioning-waits-figures.js';

/**
 * Issue #16's figures: N machines (default 10) provisioned at once by the controller (in this
 * process, default flags) against the Cloud simulator (its own process) in three worlds: zero
 * durations, Hetzner's measured durations (fixed seed), and the same with booting servers that
 * drop connection attempts. Writes bench/results/provisioning-waits-<time>.json. Usage: node
 * --import tsx bench/provisioning-waits.ts [--machines N] [--seed N] [--time-scale X]
 * [--only zero|realistic|silent-drop] [--rate-limit-per-hour N] [--deadline-minutes N]
 *
 * Many machines against one project's budget (#16): `--machines 200 --only realistic
 * --time-scale 0.1`; each world also reports its wall time and the bench process's peak RSS
 * (the controller runs in it; the simulator and the control plane are processes of their own).
 */
const COMMAND = 'image-url-command-bench';

interface MachineObject extends KubeObject {
  status?: {
    bootState?: string;
    bootStateSince?: string;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** A failed machine's reason and the start of its message, to count failures by. */
function failureOf(machine: MachineObject | undefined): string | undefined {
  if (machine?.status?.bootState !== 'ProvisioningFailed') return undefined;
  const failed = machine.status.conditions?.find(
    (c) => c.type === 'ServerProvisioned' && c.status === 'False',
  );
  return `${failed?.reason ?? 'unknown'}: ${(failed?.message ?? '').slice(0, 80)}`;
}

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? (process.argv[at + 1] ?? fallback) : fallback;
}

/**
 * Writes a bootable simulated OS image (docs/sim-os-image.md) to the root device, so the
 * installed OS answers after the reboot; sleeps a while in the realistic worlds first (its
 * duration is the user's, not Hetzner's).
 */
const script = (sleepSeconds: number, image: string): string =>
  `#!/bin/bash\nset -e\nsleep ${sleepSeconds}\ndd if=${image} of=/dev/$4 bs=1M conv=fsync status=none\n` +
  `echo "bench-command-finished-at $(date +%s%3N)"\necho IMAGE_URL_DONE\n`;

interface World {
  readonly name: string;
  readonly simArgs: readonly string[];
  readonly commandSleepSeconds: number;
}

/** Each world on a fresh kube-apiserver: machines of an earlier world must not reach its simulator. */
async function runWorld(world: World, count: number): Promise<Record<string, unknown>> {
  const controlPlane = await startControlPlane({ crdPaths: [CRD_DIR] });
  try {
    return await runWorldOn(world, count, controlPlane);
  } finally {
    await controlPlane.stop();
  }
}

async function runWorldOn(
  world: World,
  count: number,
  controlPlane: KubeControlPlane,
): Promise<Record<string, unknown>> {
  const sim = await SimProcess.start(world.simArgs);
  const api = testClient(controlPlane.kubeConfig(), 'imageurl-bench');
  const commandsDir = await mkdtemp(join(tmpdir(), 'imageurl-bench-commands-'));
  const informer = new Informer<MachineObject>(api.client, { kind: hcloudMachinesKind, log: api.log });
  const stop = new AbortController();
  let controller: Promise<void> | undefined;
  const namespace = `bench-${world.name}`;
  try {
    const image = join(commandsDir, 'node.img');
    await buildTestImage({ path: image, name: 'bench-os', payloadBytes: 1024 * 1024 });
    await writeFile(join(commandsDir, COMMAND), script(world.commandSleepSeconds, image));
    await chmod(join(commandsDir, COMMAND), 0o755);
    const key = generateSshKeyPair('rescue');
    await new SimCloudClient(sim.endpoint, sim.token).call('POST', '/ssh_keys', {
      name: 'rescue',
      public_key: key.publicKey,
    });
    const states = new Map<string, StateSeen[]>();
    informer.onChange(({ object }) => {
      if (object.metadata.namespace !== namespace) return;
      const name = object.metadata.name ?? '';
      const state = object.status?.bootState;
      const list = states.get(name) ?? [];
      if (state === undefined || list.some((entry) => entry.state === state)) return;
      list.push({ state, seenAt: Date.now(), since: Date.parse(object.status?.bootStateSince ?? '') });
      states.set(name, list);
    });
    informer.start();
    await informer.synced;
    const options = resolveRuntimeOptions(
      {
        kubeconfig: controlPlane.kubeconfigPath,
        'metrics-bind-address': '0',
        'health-probe-bind-address': '0',
        'log-level': process.env.IMAGEURL_BENCH_LOG ?? 'silent',
      },
      {},
    );
    controller = runController(
      options,
      { commandsDir, hcloudEndpoint: sim.endpoint },
      { env: {} },
      stop.signal,
    );
    controller.catch((error: unknown) => console.error('controller stopped:', error));
    await sim.resetCounters();
    const names = Array.from({ length: count }, (_, i) => `m-${i}`);
    await createNamespace(controlPlane.kubeConfig(), namespace);
    await createProvisioningObjects(api.client, {
      namespace,
      hcloudToken: sim.token,
      rescueKey: { name: 'rescue', publicKey: key.publicKey, privateKey: key.privateKey },
      machineName: names[0] ?? 'm-0',
      imageURL: 'oci://registry.example.com/images/node:v1',
      imageURLCommand: COMMAND,
      bootstrapData: '#cloud-config\n',
    });
    const started = Date.now();
    const created = new Map<string, number>([[names[0] ?? 'm-0', started]]);
    await Promise.all(
      names.slice(1).map(async (name) => {
        await createMachine(api.client, namespace, name, COMMAND);
        created.set(name, Date.now());
      }),
    );
    const ended = (name: string): boolean =>
      (states.get(name) ?? []).some(
        (e) => e.state === 'OperatingSystemRunning' || e.state === 'ProvisioningFailed',
      );
    await waitFor(() => Promise.resolve(names.every(ended) ? true : undefined), {
      deadlineMs: Number(option('deadline-minutes', '15')) * 60_000,
      initialIntervalMs: 50,
      description: `${count} machines to run their OS`,
    });
    // The installed OS answers a little after the controller may have declared it running.
    await waitFor(
      async () =>
        (await sim.timeline()).filter((t) => t.boots.some((b) => b.system === 'os')).length >= count
          ? true
          : undefined,
      { deadlineMs: 120_000, initialIntervalMs: 200, description: 'every installed OS to answer' },
    ).catch(() => undefined);
    const wallSeconds = (Date.now() - started) / 1000;
    const requests = await sim.requests();
    const timelines = await sim.timeline();
    const servers = await sim.servers();
    const events = await api.client.list<
      KubeObject & { reason?: string; note?: string; regarding?: { name?: string } }
    >(eventKind, { namespace });
    const finalMachines = await api.client.list<MachineObject>(hcloudMachinesKind, { namespace });
    const runs: MachineRun[] = names.map((name) => {
      const failure = failureOf(finalMachines.items.find((m) => m.metadata.name === name));
      const serverId = servers.find((s) => s.name === name)?.id;
      const note = events.items.find(
        (e) => e.reason === 'ImageURLCommandSucceeded' && e.regarding?.name === name,
      )?.note;
      return {
        name,
        created: created.get(name) ?? NaN,
        states: states.get(name) ?? [],
        timeline: timelines.find((t) => t.serverId === serverId),
        commandFinishedAt: Number(/bench-command-finished-at (\d+)/.exec(note ?? '')?.[1] ?? NaN),
        ...(failure === undefined ? {} : { failure }),
      };
    });
    return {
      world: world.name,
      simulator: world.simArgs.join(' ') || 'zero durations',
      ...waitFigures(runs, requests),
      wallSecondsUntilAllEnded: wallSeconds,
      benchProcessPeakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    stop.abort();
    await controller?.catch(() => undefined);
    await informer.stop();
    api.transport.close();
    await sim.stop();
    await rm(commandsDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const count = Number(option('machines', '10'));
  const seed = option('seed', '1');
  const scale = option('time-scale', '1');
  const rateLimit = option('rate-limit-per-hour', '');
  const budget = rateLimit === '' ? [] : ['--rate-limit-per-hour', rateLimit];
  const realistic = ['--realistic', '--seed', seed, '--time-scale', scale, ...budget];
  const worlds: World[] = [
    { name: 'zero', simArgs: budget, commandSleepSeconds: 0 },
    { name: 'realistic', simArgs: realistic, commandSleepSeconds: 3 },
    { name: 'silent-drop', simArgs: [...realistic, '--while-booting', 'drop'], commandSleepSeconds: 3 },
  ].filter((world) => option('only', world.name) === world.name);
  const results: Record<string, unknown>[] = [];
  for (const world of worlds) {
    const figures = await runWorld(world, count);
    console.log(JSON.stringify(figures, null, 2));
    results.push(figures);
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const results_ = new URL('./results/', import.meta.url);
  await mkdir(results_, { recursive: true });
  const record = {
    date: new Date().toISOString(),
    cores: cpus().length,
    node: process.versions.node,
    argv: process.argv.slice(2),
    worlds: results,
  };
  await writeFile(
    new URL(`provisioning-waits-${stamp}.json`, results_),
    `${JSON.stringify(record, null, 2)}\n`,
  );
  console.log(`written to bench/results/provisioning-waits-${stamp}.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
