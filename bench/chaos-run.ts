// The soak itself (issue #18): machines provisioned and deleted in slots while the controller
// replicas are SIGKILLed, the simulators inject faults and the apiserver goes away once. Every
// random draw comes from the seed; draws are made per slot and up front, so concurrent loops do
// not change each other's draws.
import { setTimeout as delay } from 'node:timers/promises';
import { mulberry32 } from '../sim/machine/duration-draws.js';
import { machineKind, secretKind, type KubeClient } from '../src/kube/index.js';
import { bareMetalMachines } from '../src/reconcilers/shared/kinds.js';
import { createMachine as createBareMetalMachine } from '../test/support/bare-metal-provisioning-objects.js';
import { createMachineObjects, hcloudMachinesKind } from '../test/support/provisioning-objects.js';
import { DEFAULT_SHARES, rateLimitBurst, type FaultShares } from './chaos-faults.js';
import { collectFigures, type ChaosFigures } from './chaos-figures.js';
import { ChaosObserver } from './chaos-observer.js';
import {
  BM_CLUSTER,
  BM_COMMAND,
  BM_NAMESPACE,
  FIRST_HCLOUD_MACHINE,
  HCLOUD_COMMAND,
  HCLOUD_NAMESPACE,
  startChaosWorld,
  type ChaosWorld,
} from './chaos-world.js';

export interface ChaosOptions {
  readonly seed: number;
  /** How long machines are created and the chaos goes on; deletion of what is left follows. */
  readonly minutes: number;
  readonly hcloudMachines: number;
  /** Bare-metal machines (as many hosts). */
  readonly bareMetalMachines: number;
  readonly kills: number;
  readonly outageSeconds: number;
  /** How long the deletion of what is left may take after the chaos. */
  readonly cleanupMinutes: number;
  /** Multiplies every fault share (default 1; 0 for a calm baseline). */
  readonly faultScale?: number;
  /** Ends the soak early (SIGINT): everything started is stopped. */
  readonly signal?: AbortSignal;
  /** Progress lines (default: none). */
  readonly progress?: (line: string) => void;
}

/** A share of machines deleted while they provision, at a random moment. */
const EARLY_DELETE_SHARE = 0.15;
/** A slot starts another machine only with this much chaos time left. */
const ROUND_MIN_MS = 4 * 60_000;

/** Rejects when the soak is interrupted, so every loop ends and the world is stopped. */
const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  delay(Math.max(0, Number.isFinite(ms) ? ms : 0), undefined, signal === undefined ? {} : { signal });

async function until(done: () => boolean, deadline: number, signal?: AbortSignal): Promise<boolean> {
  while (!done()) {
    if (Date.now() >= deadline) return false;
    await sleep(500, signal);
  }
  return true;
}

type Kind = 'hcloud' | 'baremetal';
const namespaceOf = (kind: Kind): string => (kind === 'hcloud' ? HCLOUD_NAMESPACE : BM_NAMESPACE);

export async function runChaos(options: ChaosOptions): Promise<ChaosFigures> {
  const scale = options.faultScale ?? 1;
  const shares = Object.fromEntries(
    Object.entries(DEFAULT_SHARES).map(([name, share]) => [name, share * scale]),
  ) as unknown as FaultShares;
  const say = options.progress ?? ((): void => undefined);
  const world = await startChaosWorld({ seed: options.seed, hosts: options.bareMetalMachines, shares });
  const observer = new ChaosObserver(world.bm.api.client, world.bm.api.log, world.secrets);
  const started = Date.now();
  const deadline = started + options.minutes * 60_000;
  const cleanupDeadline = deadline + options.cleanupMinutes * 60_000;
  const machines: { kind: Kind; name: string; earlyDelete: boolean }[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    await observer.start();
    world.replicas.startAll();
    let samples = 0;
    sampler = setInterval(() => {
      observer.sampleServers(world.cloud.servers());
      if (++samples % 60 === 0) say(observer.states());
    }, 500);
    const chaos = runSchedule(world, options, { started, deadline }, say);
    const slot = (kind: Kind, index: number): Promise<void> =>
      slotLoop({
        world,
        observer,
        kind,
        index,
        seed: options.seed,
        deadline,
        cleanupDeadline,
        staggerMs: Math.min(60_000, (deadline - started) / 4),
        signal: options.signal,
        machines,
        say,
      });
    await Promise.all([
      chaos,
      ...Array.from({ length: options.hcloudMachines }, (_, i) => slot('hcloud', i)),
      ...Array.from({ length: options.bareMetalMachines }, (_, i) => slot('baremetal', i)),
    ]);
    say('every machine deleted or given up on; looking for what was left behind');
    return await collectFigures({ world, observer, machines, options, started, cleanupDeadline });
  } finally {
    clearInterval(sampler);
    await observer.stop();
    await world.stop();
  }
}

/** Kills, 429 bursts and the apiserver outage at seeded moments of the chaos time. */
async function runSchedule(
  world: ChaosWorld,
  options: ChaosOptions,
  time: { started: number; deadline: number },
  say: (line: string) => void,
): Promise<void> {
  const random = mulberry32(options.seed);
  const span = time.deadline - time.started;
  type Step = { at: number; run: () => Promise<void> };
  const steps: Step[] = [];
  for (let i = 0; i < options.kills; i++) {
    const at = time.started + 15_000 + random() * (span - 20_000);
    const roll = mulberry32(options.seed * 7919 + i);
    steps.push({
      at,
      run: async () => {
        const victim = await world.replicas.killOne(world.bm.api.client, roll);
        say(`SIGKILL ${victim} (${world.replicas.kills.total}/${options.kills})`);
      },
    });
  }
  const bursts = (options.faultScale ?? 1) === 0 ? 0 : Math.max(1, Math.round(span / 60_000));
  for (let i = 0; i < bursts; i++) {
    const count = 3 + Math.floor(random() * 8);
    const api = random() < 0.5 ? 'cloud' : 'robot';
    steps.push({
      at: time.started + random() * span,
      run: () => {
        (api === 'cloud' ? world.cloud : world.bm.robot).faults.add(rateLimitBurst(api, count));
        return Promise.resolve();
      },
    });
  }
  const outageAt = time.started + span * (0.3 + 0.3 * random());
  if (options.outageSeconds > 0)
    steps.push({
      at: outageAt,
      run: async () => {
        say(`kube-apiserver unreachable for the controllers for ${options.outageSeconds} s`);
        world.proxy.mode = 'refuse';
        await sleep(options.outageSeconds * 1000, options.signal).finally(() => {
          world.proxy.mode = 'pass';
        });
        world.proxy.mode = 'pass';
        say('kube-apiserver back');
      },
    });
  steps.sort((a, b) => a.at - b.at);
  const running: Promise<void>[] = [];
  for (const step of steps) {
    await sleep(step.at - Date.now(), options.signal);
    running.push(step.run().catch((error: unknown) => say(`chaos step failed: ${String(error)}`)));
  }
  await Promise.all(running);
}

interface SlotInput {
  readonly world: ChaosWorld;
  readonly observer: ChaosObserver;
  readonly kind: Kind;
  readonly index: number;
  readonly seed: number;
  readonly deadline: number;
  readonly cleanupDeadline: number;
  /** The first machines are created over this long. */
  readonly staggerMs: number;
  readonly machines: { kind: Kind; name: string; earlyDelete: boolean }[];
  readonly say: (line: string) => void;
  readonly signal: AbortSignal | undefined;
}

/** One machine after the other: created, left to end (or deleted early), deleted, gone. */
async function slotLoop(input: SlotInput): Promise<void> {
  const { kind, index, deadline } = input;
  const random = mulberry32(input.seed * 104_729 + (kind === 'hcloud' ? 0 : 50_000) + index);
  for (let round = 0; ; round++) {
    await sleep((round === 0 ? input.staggerMs : 5_000) * random(), input.signal);
    if (round > 0 && Date.now() > deadline - ROUND_MIN_MS) return;
    const name = `${kind === 'hcloud' ? 'hc' : 'bm'}-${index}-${round}`;
    if (!(await oneMachine(input, name, random))) return;
  }
}

/** Resolves whether the machine is gone in the end. */
async function oneMachine(input: SlotInput, name: string, random: () => number): Promise<boolean> {
  const { world, observer, kind, deadline } = input;
  const key = `${kind}/${namespaceOf(kind)}/${name}`;
  const earlyDelete = random() < EARLY_DELETE_SHARE;
  const deleteAt = earlyDelete ? Date.now() + 20_000 + random() * 90_000 : Infinity;
  const linger = random() * 10_000;
  await create(world, kind, name);
  input.machines.push({ kind, name, earlyDelete });
  // After the chaos time a machine may still finish, for half the cleanup time.
  const finishBy = deadline + (input.cleanupDeadline - deadline) / 2;
  await until(() => observer.outcome(key) !== undefined, Math.min(deleteAt, finishBy), input.signal);
  const outcome = observer.outcome(key);
  input.say(`${key}: ${outcome === undefined ? 'deleting while it provisions' : JSON.stringify(outcome)}`);
  if (outcome !== undefined) await sleep(Math.min(linger, deadline - Date.now()), input.signal);
  await removeInfrastructure(world.bm.api.client, kind, name);
  const gone = await until(
    () => observer.followed.get(key)?.gone === true,
    input.cleanupDeadline,
    input.signal,
  );
  if (!gone) input.say(`${key} still not deleted after the cleanup time`);
  else await removeRest(world.bm.api.client, kind, name);
  return gone;
}

async function create(world: ChaosWorld, kind: Kind, name: string): Promise<void> {
  const client = world.bm.api.client;
  if (kind === 'hcloud') {
    if (name === FIRST_HCLOUD_MACHINE) return; // made with the cluster objects
    await createMachineObjects(client, HCLOUD_NAMESPACE, name, {
      type: 'cpx22',
      imageURL: 'oci://registry.example.com/images/node:v1',
      imageURLCommand: HCLOUD_COMMAND,
    });
    return;
  }
  await createBareMetalMachine(client, {
    namespace: BM_NAMESPACE,
    cluster: BM_CLUSTER,
    name,
    imageUrl: world.bm.imageUrl,
    command: BM_COMMAND,
  });
}

const ignoreMissing = (error: unknown): void => {
  if ((error as { httpStatus?: number }).httpStatus !== 404) throw error;
};

/** Deletes the infrastructure machine first, as Cluster API does: its finalizer makes the controller clean up. */
async function removeInfrastructure(client: KubeClient, kind: Kind, name: string): Promise<void> {
  const infrastructure = kind === 'hcloud' ? hcloudMachinesKind : bareMetalMachines;
  await client.delete(infrastructure, namespaceOf(kind), name).catch(ignoreMissing);
}

/** Then the Machine (and the bare-metal machine's bootstrap Secret). */
async function removeRest(client: KubeClient, kind: Kind, name: string): Promise<void> {
  await client.delete(machineKind, namespaceOf(kind), name).catch(ignoreMissing);
  if (kind === 'baremetal')
    await client.delete(secretKind, BM_NAMESPACE, `bootstrap-${name}`).catch(ignoreMissing);
}
