import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSshKeyPair } from '../sim/host/ssh-keys.js';
import { buildTestImage } from '../sim/os-image/build-image.js';
import { startControlPlane, type KubeControlPlane } from '../sim/kube-control-plane/index.js';
import { freePort } from '../sim/process/free-port.js';
import { waitFor } from '../sim/process/wait-for.js';
import { runController } from '../src/setup/index.js';
import { eventKind, Informer, resolveRuntimeOptions, type KubeObject } from '../src/kube/index.js';
import { createNamespace } from '../test/support/kube-objects.js';
import { CRD_DIR, testClient, type TestClient } from '../test/support/kube-runtime-fixtures.js';
import { createProvisioningObjects, hcloudMachinesKind } from '../test/support/provisioning-objects.js';
import { SimCloudClient } from '../test/support/sim-cloud-client.js';
import {
  createMachine,
  memory,
  parseMetrics,
  pollRescue,
  SimProcess,
  total,
  type Sample,
} from './provisioning-support.js';
import { lookupKind, singleMachineFigures, type StateSeen } from './provisioning-single.js';
import { bareMetalFigures, printBareMetalTable } from './provisioning-baremetal.js';
import { clusterFigures, printClusterTable } from './provisioning-cluster.js';
import { printTable } from './provisioning-table.js';

/**
 * Provisioning figures (issue 7), in one run against the Cloud simulator with zero-duration
 * actions and boots (its own process), a real kube-apiserver and the controller in this process
 * (`runController`, default flags): one machine — hcloud calls per machine and controller-added
 * latency per transition — then N machines (default 50) at once: 429s, total time, calls per
 * machine, the controller's memory; then the bare-metal section (bench/provisioning-baremetal.ts)
 * and a whole cluster, creation to deletion (bench/provisioning-cluster.ts). Usage: node
 * --expose-gc --import tsx bench/provisioning.ts [--machines N] [--workers N] [--cluster-only]
 */
const COMMAND = 'image-url-command-bench';
/**
 * Writes a bootable simulated OS image (docs/sim-os-image.md), so the installed OS answers SSH
 * after the reboot and OperatingSystemRunning comes without the installed-OS budget's wait;
 * prints the moment it finishes (ms since the epoch), then the marker.
 */
const script = (image: string): string =>
  `#!/bin/bash\nset -e\ndd if=${image} of=/dev/$4 bs=1M conv=fsync status=none\n` +
  'echo "bench-command-finished-at $(date +%s%3N)"\necho IMAGE_URL_DONE\n';

interface MachineObject extends KubeObject {
  status?: { bootState?: string; bootStateSince?: string };
}

interface EventObject extends KubeObject {
  reason?: string;
  note?: string;
  regarding?: { name?: string };
}

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const value = at > 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/** First sighting of every (machine, bootState) through a watch, with its bootStateSince. */
function watchStates(informer: Informer<MachineObject>): Map<string, StateSeen[]> {
  const seen = new Map<string, StateSeen[]>();
  informer.onChange(({ object }) => {
    const name = object.metadata.name ?? '';
    const state = object.status?.bootState;
    const list = seen.get(name) ?? [];
    if (state === undefined || list.some((entry) => entry.state === state)) return;
    const since = Date.parse(object.status?.bootStateSince ?? '');
    list.push({ state, seenAt: Date.now(), since: Number.isNaN(since) ? Date.now() : since });
    seen.set(name, list);
  });
  return seen;
}

const running = (states: Map<string, StateSeen[]>, name: string): boolean =>
  (states.get(name) ?? []).some((entry) => entry.state === 'OperatingSystemRunning');
const failed = (states: Map<string, StateSeen[]>, name: string): boolean =>
  (states.get(name) ?? []).some((entry) => entry.state === 'ProvisioningFailed');

async function until(what: string, done: () => boolean, deadlineMs: number): Promise<void> {
  await waitFor(() => Promise.resolve(done() ? true : undefined), {
    deadlineMs,
    initialIntervalMs: 5,
    description: what,
  });
}

interface Env {
  readonly sim: SimProcess;
  readonly controlPlane: KubeControlPlane;
  readonly api: TestClient;
  readonly states: Map<string, StateSeen[]>;
  readonly metrics: () => Promise<Sample[]>;
  readonly rescueKey: { name: string; publicKey: string; privateKey: string };
}

async function prepareNamespace(env: Env, namespace: string, firstMachine: string): Promise<void> {
  await createNamespace(env.controlPlane.kubeConfig(), namespace);
  await createProvisioningObjects(env.api.client, {
    namespace,
    hcloudToken: env.sim.token,
    rescueKey: env.rescueKey,
    machineName: firstMachine,
    imageURL: 'oci://registry.example.com/images/node:v1',
    imageURLCommand: COMMAND,
    bootstrapData: '#cloud-config\n',
  });
}

async function single(env: Env): Promise<Record<string, unknown>> {
  await env.sim.resetCounters();
  const metricsBefore = await env.metrics();
  const rescueUp = pollRescue(env.sim);
  await prepareNamespace(env, 'bench-single', 'single');
  const created = Date.now(); // the HCloudMachine is the last object created
  await until('the single machine to run its OS', () => running(env.states, 'single'), 120_000);
  const rescueAt = await rescueUp.stop();
  const requests = await env.sim.requests();
  const events = await env.api.client.list<EventObject>(eventKind, { namespace: 'bench-single' });
  const note = events.items.find((event) => event.reason === 'ImageURLCommandSucceeded')?.note ?? '';
  const finished = Number(/bench-command-finished-at (\d+)/.exec(note)?.[1] ?? NaN);
  const metricsAfter = await env.metrics();
  const counted =
    total(metricsAfter, 'imageurl_hcloud_requests_total') -
    total(metricsBefore, 'imageurl_hcloud_requests_total');
  return singleMachineFigures({
    states: env.states.get('single') ?? [],
    requests,
    created,
    rescueAt,
    commandFinishedAt: finished,
    controllerCounted: counted,
    transitionsCounted:
      total(metricsAfter, 'imageurl_boot_state_duration_seconds_count') -
      total(metricsBefore, 'imageurl_boot_state_duration_seconds_count'),
  });
}

async function fleet(env: Env, count: number): Promise<Record<string, unknown>> {
  await env.sim.resetCounters();
  const before = await env.metrics();
  const names = Array.from({ length: count }, (_, i) => `fleet-${i}`);
  const began = Date.now();
  await prepareNamespace(env, 'bench-fleet', names[0] ?? 'fleet-0');
  await Promise.all(
    names.slice(1).map((name) => createMachine(env.api.client, 'bench-fleet', name, COMMAND)),
  );
  await until(
    `${count} machines to run their OS`,
    () => names.every((name) => running(env.states, name) || failed(env.states, name)),
    15 * 60_000,
  );
  const totalMs = Date.now() - began;
  const counters = await env.sim.counters();
  const lookups = (await env.sim.requests()).filter((request) => lookupKind(request) !== undefined).length;
  const after = await env.metrics();
  const delta = (name: string, labels: Record<string, string> = {}): number =>
    Math.round((total(after, name, labels) - total(before, name, labels)) * 1000) / 1000;
  const durations = names.map((name) => {
    const seen = env.states.get(name) ?? [];
    return (seen.find((entry) => entry.state === 'OperatingSystemRunning')?.seenAt ?? NaN) - began;
  });
  durations.sort((a, b) => a - b);
  return {
    machines: count,
    succeeded: names.filter((name) => running(env.states, name)).length,
    failed: names.filter((name) => failed(env.states, name)).length,
    totalSeconds: totalMs / 1000,
    perMachineSeconds: {
      p50: (durations[Math.floor(count / 2)] ?? NaN) / 1000,
      max: (durations[count - 1] ?? NaN) / 1000,
    },
    hcloudCalls: counters.total,
    hcloudCallsPerMachine: Math.round((counters.total / count) * 100) / 100,
    hcloudCallsPerMachineWithoutLookups: Math.round(((counters.total - lookups) / count) * 100) / 100,
    simulator429s: counters.byStatus['429'] ?? 0,
    callsByEndpoint: counters.byEndpoint,
    callsByStatus: counters.byStatus,
    controllerCounted429s: delta('imageurl_hcloud_requests_total', { status: '429' }),
    rateLimitWaits: delta('imageurl_hcloud_rate_limit_waits_total'),
    rateLimitWaitSeconds: delta('imageurl_hcloud_rate_limit_wait_seconds_total'),
    transitionsCounted: delta('imageurl_boot_state_duration_seconds_count'),
    transitionsExpected: count * 6,
  };
}

async function main(): Promise<void> {
  const count = flag('machines', 50);
  const workers = process.argv.includes('--workers') ? flag('workers', 4) : undefined;
  const [sim, controlPlane] = await Promise.all([
    SimProcess.start(),
    startControlPlane({ crdPaths: [CRD_DIR] }),
  ]);
  const api = testClient(controlPlane.kubeConfig(), 'imageurl-bench');
  const commandsDir = await mkdtemp(join(tmpdir(), 'imageurl-bench-commands-'));
  const informer = new Informer<MachineObject>(api.client, { kind: hcloudMachinesKind, log: api.log });
  const stopController = new AbortController();
  let controller: Promise<void> | undefined;
  try {
    const image = join(commandsDir, 'node.img');
    await buildTestImage({ path: image, name: 'bench-os', payloadBytes: 1024 * 1024 });
    await writeFile(join(commandsDir, COMMAND), script(image));
    await chmod(join(commandsDir, COMMAND), 0o755);
    const key = generateSshKeyPair('rescue');
    await new SimCloudClient(sim.endpoint, sim.token).call('POST', '/ssh_keys', {
      name: 'rescue',
      public_key: key.publicKey,
    });
    const states = watchStates(informer);
    informer.start();
    await informer.synced;
    const port = await freePort();
    const env: Env = {
      sim,
      controlPlane,
      api,
      states,
      rescueKey: { name: 'rescue', publicKey: key.publicKey, privateKey: key.privateKey },
      metrics: async () => parseMetrics(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()),
    };
    const baseline = memory();
    const options = resolveRuntimeOptions(
      {
        kubeconfig: controlPlane.kubeconfigPath,
        'metrics-bind-address': `127.0.0.1:${port}`,
        'health-probe-bind-address': '0',
        'log-level': process.env.IMAGEURL_BENCH_LOG ?? 'silent',
        ...(workers === undefined ? {} : { concurrency: String(workers) }),
      },
      {},
    );
    controller = runController(
      options,
      { commandsDir, hcloudEndpoint: sim.endpoint },
      { env: {} },
      stopController.signal,
    );
    controller.catch((error: unknown) => console.error('controller stopped:', error));
    await waitFor(() => env.metrics().then(() => true), { deadlineMs: 30_000, description: '/metrics' });
    const cluster = (): Promise<Record<string, unknown>> =>
      clusterFigures({
        sim,
        client: api.client,
        createNamespace: (name) => createNamespace(controlPlane.kubeConfig(), name),
        running: (name) => running(states, name),
        rescueKey: env.rescueKey,
        command: COMMAND,
      });
    if (process.argv.includes('--cluster-only')) {
      await report({ cluster: await cluster() });
      return;
    }
    const oneMachine = await single(env);
    const afterOne = memory();
    const many = await fleet(env, count);
    const afterMany = memory();
    const bareMetal = await bareMetalFigures({
      hcloudEndpoint: sim.endpoint,
      hcloudToken: sim.token,
      rescueKey: env.rescueKey,
    });
    const figures = {
      oneMachine,
      concurrent: many,
      controllerMemory: {
        note: 'this process: the controller (runController) plus the bench harness; the simulator runs in its own process',
        beforeController: baseline,
        afterOneMachine: afterOne,
        afterConcurrent: afterMany,
      },
      workers: options.concurrency,
      bareMetal,
      cluster: await cluster(),
    };
    await report(figures);
  } finally {
    stopController.abort();
    await controller?.catch(() => undefined);
    await informer.stop();
    api.transport.close();
    await sim.stop();
    await controlPlane.stop();
    await rm(commandsDir, { recursive: true, force: true });
  }
}

async function report(figures: Record<string, unknown>): Promise<void> {
  if (figures.oneMachine !== undefined) printTable(figures);
  if (figures.bareMetal !== undefined) printBareMetalTable(figures.bareMetal as Record<string, unknown>);
  printClusterTable(figures.cluster as Record<string, unknown>);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const results = new URL('./results/', import.meta.url);
  await mkdir(results, { recursive: true });
  const record = {
    date: new Date().toISOString(),
    cores: cpus().length,
    node: process.versions.node,
    figures,
  };
  await writeFile(new URL(`provisioning-${stamp}.json`, results), `${JSON.stringify(record, null, 2)}\n`);
  console.log(`written to bench/results/provisioning-${stamp}.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
