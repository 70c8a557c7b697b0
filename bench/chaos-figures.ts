// The soak's figures (issue #18), its zero-figures, and the table it prints.
import { readFile } from 'node:fs/promises';
import { eventKind, type KubeObject } from '../src/kube/index.js';
import { bareMetalHosts, bareMetalMachines } from '../src/reconcilers/shared/kinds.js';
import { hcloudMachinesKind } from '../test/support/provisioning-objects.js';
import type { RequestLog } from '../sim/http/request-log.js';
import type { ChaosObserver } from './chaos-observer.js';
import type { ChaosOptions } from './chaos-run.js';
import type { ChaosWorld } from './chaos-world.js';

export interface ChaosFigures {
  readonly seed: number;
  readonly seconds: number;
  readonly kills: { readonly total: number; readonly leader: number };
  /** Controller processes that ended on their own (a lost lease) and were started again. */
  readonly controllerExits: number;
  readonly apiserverOutageSeconds: number;
  readonly machines: {
    readonly created: { readonly hcloud: number; readonly baremetal: number };
    readonly reachedRunning: number;
    readonly failed: Readonly<Record<string, number>>;
    readonly deletedWhileProvisioning: number;
    readonly unfinishedAtTheEnd: readonly string[];
  };
  readonly longestWithoutConditionChange: { readonly seconds: number; readonly object: string };
  readonly apiRequests: Readonly<Record<'cloud' | 'robot', { total: number; faulted: number }>>;
  readonly commandRuns: number;
  /** The zero-figures: every one must be 0. */
  readonly zero: {
    readonly duplicateServers: number;
    readonly machinesClaimedByTwoHosts: number;
    readonly commandsRunTwiceInOneAttempt: number;
    readonly serversLeftAfterDeletion: number;
    readonly hostsLeftAfterDeletion: number;
    readonly objectsNotDeleted: number;
    readonly secretsFound: number;
  };
  readonly details: {
    readonly duplicateServers: readonly string[];
    readonly commandsRunTwice: readonly string[];
    readonly secretsFound: readonly string[];
    readonly hostsLeft: readonly string[];
  };
}

interface CollectInput {
  readonly world: ChaosWorld;
  readonly observer: ChaosObserver;
  readonly machines: readonly { kind: 'hcloud' | 'baremetal'; name: string; earlyDelete: boolean }[];
  readonly options: ChaosOptions;
  readonly started: number;
  readonly cleanupDeadline: number;
}

function secretsIn(where: string, text: string, secrets: Readonly<Record<string, string>>): string[] {
  return Object.entries(secrets)
    .filter(([, value]) => value !== '' && text.includes(value))
    .map(([name]) => `${where}: ${name}`);
}

/** `<machine> <attempt>` keys seen more than once in the command runs file. */
export async function runsTwice(file: string): Promise<{ runs: number; twice: string[] }> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const counts = new Map<string, number>();
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  for (const line of lines) {
    const [, machine, attempt] = line.split(' ');
    const key = `${machine ?? '?'} ${attempt ?? '?'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return {
    runs: lines.length,
    twice: [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`),
  };
}

function faulted(log: RequestLog): { total: number; faulted: number } {
  const counters = log.counters();
  const bad = Object.entries(counters.byStatus)
    .filter(([status]) => Number(status) >= 400 || Number(status) === 0)
    .reduce((sum, [, n]) => sum + n, 0);
  return { total: counters.total, faulted: bad };
}

type HostObject = KubeObject & {
  spec?: { consumerRef?: { name?: string }; status?: { provisioningState?: string } };
};

function outcomesOf(
  observer: ChaosObserver,
  machines: CollectInput['machines'],
): { running: number; failed: Record<string, number>; unfinished: string[] } {
  const failed: Record<string, number> = {};
  let running = 0;
  const unfinished: string[] = [];
  for (const machine of machines) {
    const namespace = machine.kind === 'hcloud' ? 'chaos-hcloud' : 'chaos-baremetal';
    const outcome = observer.outcome(`${machine.kind}/${namespace}/${machine.name}`);
    if (outcome?.kind === 'running') running += 1;
    else if (outcome?.kind === 'failed') failed[outcome.reason] = (failed[outcome.reason] ?? 0) + 1;
    else if (!machine.earlyDelete) unfinished.push(machine.name);
  }
  return { running, failed, unfinished };
}

/** Hosts still claimed or not back to the free state after every machine was deleted. */
async function hostsInUse(world: ChaosWorld): Promise<string[]> {
  const hosts = (await world.bm.api.client.list<HostObject>(bareMetalHosts)).items;
  return hosts
    .filter((h) => h.spec?.consumerRef !== undefined || (h.spec?.status?.provisioningState ?? '') !== '')
    .map((h) => `${h.metadata.name ?? ''}: ${h.spec?.status?.provisioningState ?? ''}`);
}

/** Every controller log line and every event, searched for the planted secrets. */
async function secretsInLogsAndEvents(world: ChaosWorld): Promise<string[]> {
  const found: string[] = [];
  for (const file of world.replicas.logFiles) {
    const text = await readFile(file, 'utf8').catch(() => '');
    found.push(...secretsIn(file.split('/').pop() ?? file, text, world.secrets));
  }
  for (const event of (await world.bm.api.client.list(eventKind)).items)
    found.push(...secretsIn(`event ${event.metadata.name ?? ''}`, JSON.stringify(event), world.secrets));
  return found;
}

export async function collectFigures(input: CollectInput): Promise<ChaosFigures> {
  const { world, observer, machines } = input;
  const client = world.bm.api.client;
  // Servers go with their machines' finalizers; a little time for the last ones to finish.
  const settle = Math.min(input.cleanupDeadline, Date.now() + 30_000);
  while (world.cloud.servers().length > 0 && Date.now() < settle)
    await new Promise((resolve) => setTimeout(resolve, 500));
  const hostsLeft = await hostsInUse(input.world);
  const remaining =
    (await client.list(hcloudMachinesKind)).items.length +
    (await client.list(bareMetalMachines)).items.length;
  const secrets = [...observer.secretsSeen, ...(await secretsInLogsAndEvents(world))];
  const outcomes = outcomesOf(observer, machines);
  const runs = await runsTwice(world.runsFile);
  const still = observer.longestStill();
  return {
    seed: input.options.seed,
    seconds: Math.round((Date.now() - input.started) / 1000),
    kills: { ...world.replicas.kills },
    controllerExits: world.replicas.exits,
    apiserverOutageSeconds: input.options.outageSeconds,
    machines: {
      created: {
        hcloud: machines.filter((m) => m.kind === 'hcloud').length,
        baremetal: machines.filter((m) => m.kind === 'baremetal').length,
      },
      reachedRunning: outcomes.running,
      failed: outcomes.failed,
      deletedWhileProvisioning: machines.filter((m) => m.earlyDelete).length,
      unfinishedAtTheEnd: outcomes.unfinished,
    },
    longestWithoutConditionChange: { seconds: Math.round(still.ms / 1000), object: still.key },
    apiRequests: { cloud: faulted(world.cloud.requests), robot: faulted(world.bm.robot.requests) },
    commandRuns: runs.runs,
    zero: {
      duplicateServers: observer.duplicateServers.size,
      machinesClaimedByTwoHosts: observer.doubleClaims.size,
      commandsRunTwiceInOneAttempt: runs.twice.length,
      serversLeftAfterDeletion: world.cloud.servers().length,
      hostsLeftAfterDeletion: hostsLeft.length,
      objectsNotDeleted: remaining,
      secretsFound: secrets.length,
    },
    details: {
      duplicateServers: [...observer.duplicateServers],
      commandsRunTwice: runs.twice,
      secretsFound: secrets,
      hostsLeft,
    },
  };
}

/** The zero-figures that are not zero. */
export function nonZero(figures: ChaosFigures): string[] {
  return Object.entries(figures.zero)
    .filter(([, value]) => value !== 0)
    .map(([name, value]) => `${name} = ${value}`);
}

export function table(figures: ChaosFigures): string {
  const rows: [string, string][] = [
    ['seed / seconds', `${figures.seed} / ${figures.seconds}`],
    ['controller SIGKILLs (of the leader)', `${figures.kills.total} (${figures.kills.leader})`],
    ['controller exits on their own', String(figures.controllerExits)],
    [
      'machines created (hcloud, bare metal)',
      `${figures.machines.created.hcloud}, ${figures.machines.created.baremetal}`,
    ],
    ['reached running', String(figures.machines.reachedRunning)],
    ...Object.entries(figures.machines.failed).map(([reason, n]): [string, string] => [
      `failed: ${reason}`,
      String(n),
    ]),
    ['deleted while provisioning', String(figures.machines.deletedWhileProvisioning)],
    ['unfinished at the end', String(figures.machines.unfinishedAtTheEnd.length)],
    [
      'longest without a condition change',
      `${figures.longestWithoutConditionChange.seconds} s (${figures.longestWithoutConditionChange.object})`,
    ],
    ['Cloud requests (faulted)', `${figures.apiRequests.cloud.total} (${figures.apiRequests.cloud.faulted})`],
    ['Robot requests (faulted)', `${figures.apiRequests.robot.total} (${figures.apiRequests.robot.faulted})`],
    ['command runs', String(figures.commandRuns)],
    ...Object.entries(figures.zero).map(([name, value]): [string, string] => [
      `${value === 0 ? ' ' : '✗'} ${name} (must be 0)`,
      String(value),
    ]),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n');
}
