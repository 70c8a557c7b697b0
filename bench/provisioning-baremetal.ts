import type { RequestCounters } from '../sim/http/request-log.js';
import { waitFor } from '../sim/process/wait-for.js';
import { Informer, type KubeObject } from '../src/kube/index.js';
import { bareMetalHostStates } from '../src/demo/baremetal-flavour.js';
import { applyBareMetalObjects } from '../src/demo/baremetal-objects.js';
import { bareMetalHosts, bareMetalMachines } from '../src/reconcilers/shared/kinds.js';
import { createDemoNamespace, DEMO_NAMESPACE } from '../src/demo/demo-objects.js';
import { diskCommandIn, startBareMetalWorld, type BareMetalWorld } from './bare-metal-world.js';
import { row } from './provisioning-table.js';

/**
 * The bare-metal part of bench/provisioning (issue 9): the Robot simulator with every duration 0
 * and one dedicated server (one disk, sda), a real kube-apiserver, an OCI registry with the test
 * image and the controller in-process with short requeues. One HetznerBareMetalMachine claims the
 * one HetznerBareMetalHost and is provisioned, then deleted: Robot API calls per provisioning and
 * per release (the simulator's request counters), the host's provisioning states with the time
 * in each, and whether the host is available again.
 */
const SERVER = 2_345_601;
const HOST = 'bench-host';
const MACHINE = 'bench-bm';
const COMMAND = 'image-url-command-bench-bm';
const REQUEUE_MS = 50;
const zeroDurations = {
  createServerMs: 0,
  startServerMs: 0,
  stopServerMs: 0,
  resetServerMs: 0,
  rescueToggleMs: 0,
  deleteServerMs: 0,
  rescueBootMs: 0,
  osBootMs: 0,
};
const requeue = {
  immediateMs: 10,
  rebootWaitMs: REQUEUE_MS,
  rescuePollMs: REQUEUE_MS,
  afterCommandStartMs: REQUEUE_MS,
  commandPollMs: REQUEUE_MS,
  sshRetryMs: REQUEUE_MS,
  osPollMs: REQUEUE_MS,
};

export interface BareMetalBenchInput {
  /** The Cloud simulator (the HetznerCluster's hcloud SSH key check). */
  readonly hcloudEndpoint: string;
  readonly hcloudToken: string;
  /** Registered in the Cloud simulator under `name`; also the Robot rescue key. */
  readonly rescueKey: { readonly name: string; readonly publicKey: string; readonly privateKey: string };
}

interface HostObject extends KubeObject {
  spec?: { consumerRef?: unknown; status?: { provisioningState?: string; errorType?: string } };
}

interface StateSeen {
  readonly state: string;
  /** When the controller entered it (its provisioningStateSince), else when the watch saw it. */
  readonly since: number;
}

/** Every change of the host's provisioningState, in order, as the watch delivers them. */
function followHost(informer: Informer<HostObject>, clock: { created: number }): StateSeen[] {
  const seen: StateSeen[] = [];
  informer.onChange(({ object }) => {
    if (object.metadata.name !== HOST) return;
    const state = bareMetalHostStates.state(object);
    if (seen.length === 0 && state === '') return;
    if (seen.at(-1)?.state === state) return;
    if (seen.length === 0)
      seen.push({ state: '', since: Number.isNaN(clock.created) ? Date.now() : clock.created });
    const since = state === '' ? undefined : bareMetalHostStates.since(object);
    seen.push({ state, since: since ?? Date.now() });
  });
  return seen;
}

async function until(
  what: string,
  done: () => boolean | Promise<boolean>,
  deadlineMs = 180_000,
): Promise<void> {
  await waitFor(async () => ((await done()) ? true : undefined), {
    deadlineMs,
    initialIntervalMs: 5,
    description: what,
  });
}

const seconds = (ms: number): number => Math.round(ms) / 1000;

function calls(world: BareMetalWorld, began: number): Record<string, unknown> {
  const counters: RequestCounters = world.robot.requests.counters();
  const log = world.robot.requests.recent(10_000);
  return {
    seconds: seconds(Date.now() - began),
    robotCalls: counters.total,
    callsByEndpoint: Object.fromEntries(Object.entries(counters.byEndpoint).sort((a, b) => b[1] - a[1])),
    callsByStatus: counters.byStatus,
    calls: log.map((r) => `${r.at.slice(11, 23)} ${r.method} ${r.path} ${r.status}`),
  };
}

async function provisionAndRelease(
  world: BareMetalWorld,
  input: BareMetalBenchInput,
  { seen, clock }: { seen: readonly StateSeen[]; clock: { created: number } },
): Promise<Record<string, unknown>> {
  const { client } = world.api;
  await createDemoNamespace(client);
  world.robot.requests.reset();
  const began = Date.now();
  await applyBareMetalObjects(client, {
    hcloudToken: input.hcloudToken,
    rescueKey: input.rescueKey,
    robot: { user: world.robot.user, password: world.robot.password },
    osKey: world.osKey,
    servers: [{ host: HOST, serverID: SERVER, wwn: wwn() }],
    machines: [MACHINE],
    imageURL: world.imageUrl,
    imageURLCommand: COMMAND,
  });
  clock.created = Date.now(); // the HetznerBareMetalMachine is the last object created
  await until('the host to be provisioned', () => seen.at(-1)?.state === 'provisioned');
  await until('the machine to be ready with its providerID', async () => {
    const machine = await client.get<
      KubeObject & { spec?: { providerID?: string }; status?: { ready?: boolean } }
    >(bareMetalMachines, DEMO_NAMESPACE, MACHINE);
    return machine.status?.ready === true && machine.spec?.providerID === `hcloud://bm-${SERVER}`;
  });
  const provisioning = calls(world, began);
  const provisionedStates = seen.length;
  world.robot.requests.reset();
  const releaseBegan = Date.now();
  await client.delete(bareMetalMachines, DEMO_NAMESPACE, MACHINE);
  await until('the HetznerBareMetalMachine to be gone', async () => {
    return (await client.find(bareMetalMachines, DEMO_NAMESPACE, MACHINE)) === undefined;
  });
  await until('the host to be available', () => seen.length > provisionedStates && seen.at(-1)?.state === '');
  return { provisioning, release: { ...calls(world, releaseBegan), ...(await hostAfterRelease(world)) } };
}

/** The host after the release: available (provisioningState '', no claim, no error), rescue off. */
async function hostAfterRelease(world: BareMetalWorld): Promise<Record<string, unknown>> {
  const host = await world.api.client.get<HostObject>(bareMetalHosts, DEMO_NAMESPACE, HOST);
  const spec = host.spec ?? {};
  const status = spec.status ?? {};
  const server = world.robot.server(SERVER);
  const state = status.provisioningState ?? '';
  const claimed = spec.consumerRef !== undefined;
  const rescueActive = server.rescue !== undefined;
  return {
    hostAvailable: state === '' && !claimed && status.errorType === undefined && !rescueActive,
    hostProvisioningState: state,
    consumerRefLeft: claimed,
    errorType: status.errorType,
    rescueActive,
    robotServerName: server.name,
  };
}

const wwn = (): string => `0x5000c500${String(SERVER).padStart(8, '0')}`;

/** Time in each state: from its provisioningStateSince to the next state's. */
interface StateTime {
  readonly state: string;
  readonly timeInStateSeconds: number | null;
  readonly note: string;
}

const notes: Readonly<Record<string, string>> = {
  '0': 'from the HetznerBareMetalMachine created until a claim moved the host on',
  provisioned: 'until the bench deleted the machine (after it was ready)',
};

function stateTimes(seen: readonly StateSeen[]): StateTime[] {
  return seen.map((entry, i) => {
    const next = seen[i + 1];
    return {
      state: entry.state === '' ? '(available)' : entry.state,
      timeInStateSeconds: next === undefined ? null : seconds(next.since - entry.since),
      note: notes[i === 0 ? '0' : entry.state] ?? '',
    };
  });
}

export async function bareMetalFigures(input: BareMetalBenchInput): Promise<Record<string, unknown>> {
  const world = await startBareMetalWorld({
    servers: [
      { number: SERVER, name: HOST, disks: [{ name: 'sda', sizeBytes: 64 * 1024 * 1024, wwn: wwn() }] },
    ],
    bareMetal: { requeue },
    commandScripts: (scratch) => ({ [COMMAND]: `#!/bin/bash\nexec '${diskCommandIn(scratch)}' "$@"\n` }),
    robotDurations: zeroDurations,
    settings: { hcloudEndpoint: input.hcloudEndpoint },
    logLevel: process.env.IMAGEURL_BENCH_LOG ?? 'silent',
    fieldManager: 'imageurl-bench',
  });
  const informer = new Informer<HostObject>(world.api.client, { kind: bareMetalHosts, log: world.api.log });
  try {
    const clock = { created: NaN };
    const seen = followHost(informer, clock);
    informer.start();
    await informer.synced;
    const figures = await provisionAndRelease(world, input, { seen, clock });
    return {
      setup: `one dedicated server (disk sda), Robot simulator durations all 0, controller requeues ${REQUEUE_MS} ms`,
      ...figures,
      hostStates: stateTimes(seen),
    };
  } finally {
    await informer.stop();
    await world.stop();
  }
}

export function printBareMetalTable(figures: Record<string, unknown>): void {
  const provisioning = figures.provisioning as Record<string, unknown>;
  const release = figures.release as Record<string, unknown>;
  const lines = [
    '',
    `bare metal: ${String(figures.setup)}`,
    row('one HetznerBareMetalMachine: Robot API calls per provisioning', provisioning.robotCalls),
    row('  provisioning time, creating the objects → machine ready (s)', provisioning.seconds),
    row('  Robot API calls per release (machine deleted → available)', release.robotCalls),
    row('  release time (s)', release.seconds),
    row("  host available again (state '', no claim, rescue off)", release.hostAvailable ? 'yes' : 'NO'),
    '',
    `${'host provisioningState'.padEnd(46)} ${'time in state'.padStart(13)}`,
  ];
  for (const entry of figures.hostStates as StateTime[]) {
    const time = entry.timeInStateSeconds === null ? '-' : `${entry.timeInStateSeconds.toFixed(3)} s`;
    lines.push(`${entry.state.padEnd(46)} ${time.padStart(13)}  ${entry.note}`);
  }
  lines.push(
    '',
    `bare metal, Robot calls per provisioning by endpoint: ${JSON.stringify(provisioning.callsByEndpoint)}`,
    `bare metal, Robot calls per release by endpoint: ${JSON.stringify(release.callsByEndpoint)}`,
  );
  console.log(lines.join('\n'));
}
