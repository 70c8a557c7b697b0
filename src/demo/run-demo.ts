import { rm } from 'node:fs/promises';
import { checkHostRequirements } from '../../sim/host/host-requirements.js';
import { KubeClient, KubeTransport, Informer, silentLogger, type KubeObject } from '../kube/index.js';
import { startBareMetalFlavour } from './baremetal-flavour.js';
import { BootProgress } from './boot-progress.js';
import { cloudFlavour } from './cloud-flavour.js';
import { startDemoController } from './demo-controller.js';
import type { FlavourContext } from './demo-flavour.js';
import { createDemoNamespace, DEMO_NAMESPACE } from './demo-objects.js';
import { demoPaths } from './demo-paths.js';
import {
  ensureControlPlaneAssets,
  registerSshKey,
  startDemoStack,
  type DemoStack,
  type StackStep,
} from './demo-stack.js';
import { durationRows, formatDurationTable } from '../util/duration-table.js';
import { lookAround, reportClusterReady, verifyInstalledOs } from './demo-report.js';
import { DemoStoppedError, untilAborted } from './demo-signal.js';
import { refusalOf, registerWebhooks, webhookRefusal } from './demo-webhook.js';
import { counted } from './counted.js';
import type { ServedKind } from '../webhooks/server/index.js';

export interface DemoOptions {
  readonly machines: number;
  /** Dedicated servers (Robot simulator, HetznerBareMetalHosts) instead of Hetzner Cloud servers. */
  readonly baremetal: boolean;
  /** Multiplies Hetzner's measured durations (1 = as measured). */
  readonly timeScale: number;
  readonly imageURLCommand: string;
  /** Stop everything once the machines are running (else wait for Ctrl-C). */
  readonly exitWhenDone: boolean;
  readonly deadlineMs: number;
  readonly logLevel: string;
  /** The kinds whose admission webhooks the controller serves. */
  readonly kinds: readonly ServedKind[];
}

export interface DemoIo {
  readonly print: (line: string) => void;
  /** Aborts on Ctrl-C / SIGTERM. */
  readonly signal: AbortSignal;
}

/**
 * `imageurl demo`: everything on this machine, machines provisioned end to end; 0 when all run.
 * The flavour (Hetzner Cloud servers or dedicated servers) decides what is applied and followed.
 */
export async function runDemo(options: DemoOptions, io: DemoIo): Promise<number> {
  checkHostRequirements();
  const paths = await demoPaths();
  const cleanups: (() => Promise<void>)[] = [() => rm(paths.work, { recursive: true, force: true })];
  const started = Date.now();
  const step: StackStep = (title) => {
    if (io.signal.aborted) throw new DemoStoppedError();
    io.print(`• ${title} …`);
    return (detail) => io.print(`  ✓ ${detail}`);
  };
  try {
    await ensureControlPlaneAssets(paths, step, io.signal);
    const stack = await startDemoStack(paths, { timeScale: options.timeScale, cleanups, step });
    return await provision(options, io, { paths, stack, cleanups, step, started });
  } catch (error) {
    if (!(error instanceof DemoStoppedError)) throw error;
    io.print('Stopped.');
    return 130;
  } finally {
    io.print('Stopping everything …');
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => io.print(`  cleanup failed: ${String(error)}`));
    }
    io.print('Done: nothing of the demo is left running.');
  }
}

interface Running {
  readonly paths: Awaited<ReturnType<typeof demoPaths>>;
  readonly stack: DemoStack;
  readonly cleanups: (() => Promise<void>)[];
  readonly step: StackStep;
  readonly started: number;
}

async function provision(options: DemoOptions, io: DemoIo, running: Running): Promise<number> {
  const { paths, stack, cleanups, step } = running;
  const context: FlavourContext = {
    paths,
    stack,
    machines: options.machines,
    timeScale: options.timeScale,
    imageURLCommand: options.imageURLCommand,
    rescueKeyName: await registerSshKey(stack, 'demo-rescue'),
    cleanups,
    step,
  };
  const flavour = options.baremetal ? await startBareMetalFlavour(context) : cloudFlavour(context);
  let done = step('starting the controller (imageurl controller, in this process)');
  const controller = await startDemoController(paths, stack, { ...options, ...flavour.controller });
  cleanups.push(() => controller.stop());
  done(
    `commands from ${paths.commands}; webhooks at ${controller.webhook.url}; log in ${controller.logFile}`,
  );

  const transport = new KubeTransport(stack.controlPlane.kubeConfig(), { requestTimeoutMs: 10_000 });
  cleanups.push(() => {
    transport.close();
    return Promise.resolve();
  });
  const client = new KubeClient(transport, 'imageurl-demo');
  const progress = new BootProgress(io.print, Date.now(), flavour.states);
  const informer = new Informer<KubeObject>(client, {
    kind: flavour.followed,
    namespace: DEMO_NAMESPACE,
    log: silentLogger(),
  });
  informer.onChange((change) => progress.observe(change));
  informer.start();
  cleanups.push(() => informer.stop());

  done = step('registering the admission webhooks');
  await createDemoNamespace(client);
  await registerWebhooks(client, controller.webhook, options.kinds);
  done(`in force: ${await untilAborted(io.signal, webhookRefusal(client))}`);
  lookAround(stack, controller, flavour.lookAround, io.print);

  const names = Array.from({ length: options.machines }, (_, i) => `demo-worker-${String(i + 1)}`);
  done = step(flavour.applying);
  try {
    done(await flavour.apply(client, names));
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal === undefined) throw error;
    io.print(`  ✗ refused: ${refusal}`);
    return await ended(options, io, `the apiserver refused the demo's objects (${refusal})`);
  }

  const following = new AbortController();
  const clusterReady = reportClusterReady(client, io.print, following.signal).catch(() => undefined);
  const blocked = progress.whenBlocked().then((b) => ({ finished: false, blocked: b }));
  const outcome = waitForOutcomes(progress, names.length, {
    deadlineMs: options.deadlineMs,
    signal: following.signal,
  }).then((finished) => ({
    finished,
    blocked: undefined,
  }));
  const ending = await untilAborted(io.signal, Promise.race([outcome, blocked, controller.failed])).finally(
    () => following.abort(),
  );
  await clusterReady;
  if (ending.blocked) {
    const { name, reason } = ending.blocked;
    return await ended(options, io, `${name} cannot go on: ${reason}`);
  }
  const failed = [...progress.outcomes].filter(([, state]) => state !== flavour.successState);
  const total = counted(names.length, flavour.noun);
  io.print('');
  io.print(
    ending.finished
      ? `${String(names.length - failed.length)} of ${total} reached ${flavour.successState} in ${((Date.now() - running.started) / 1000).toFixed(1)} s.`
      : `Not all ${flavour.noun}s finished within ${String(options.deadlineMs / 1000)} s.`,
  );
  const verified = await verifyInstalledOs(await flavour.osTargets(client), stack.osKey.privateKey, io.print);
  io.print('');
  io.print(formatDurationTable(durationRows(progress.transitions)));
  const ok = ending.finished && failed.length === 0 && verified;
  return await ended(options, io, ok ? undefined : 'not every machine runs its installed OS');
}

/**
 * The demo's end: with `--no-exit` everything keeps running for a look around until Ctrl-C.
 * `problem` says why the demo failed (a machine that cannot go on ends it at once).
 */
async function ended(options: DemoOptions, io: DemoIo, problem: string | undefined): Promise<number> {
  io.print('');
  if (problem !== undefined) io.print(`Demo failed: ${problem}`);
  if (!options.exitWhenDone) {
    io.print('Still running for a look around (see above). Press Ctrl-C to stop everything.');
    await untilAborted(io.signal, new Promise<never>(() => undefined)).catch((error: unknown) => {
      if (!(error instanceof DemoStoppedError)) throw error;
    });
  }
  return problem === undefined ? 0 : 1;
}

/**
 * True when `count` machines reached a final state, false at the deadline or once `signal`
 * aborts (the demo ended otherwise; the deadline's timer must not keep the process alive).
 */
async function waitForOutcomes(
  progress: BootProgress,
  count: number,
  until: { readonly deadlineMs: number; readonly signal: AbortSignal },
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), until.deadlineMs);
    until.signal.addEventListener('abort', () => resolve(false), { once: true });
  });
  try {
    return await Promise.race([progress.whenFinished(count).then(() => true), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
