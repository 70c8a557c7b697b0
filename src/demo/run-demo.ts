import { rm } from 'node:fs/promises';
import { checkHostRequirements } from '../../sim/host/host-requirements.js';
import { KubeClient, KubeTransport, Informer, silentLogger, type KubeObject } from '../kube/index.js';
import { BootProgress } from './boot-progress.js';
import { startDemoController } from './demo-controller.js';
import type { DemoFlavour, FlavourContext } from './demo-flavour.js';
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
import { ended, waitForOutcomes } from './demo-ending.js';
import { chooseFlavour } from './choose-flavour.js';
import { refusalOf, registerWebhooks, webhookRefusal } from './demo-webhook.js';
import { counted } from './counted.js';
import type { ServedKind } from '../webhooks/server/index.js';

export interface DemoOptions {
  readonly machines: number;
  /** Dedicated servers (Robot simulator, HetznerBareMetalHosts) instead of Hetzner Cloud servers. */
  readonly baremetal: boolean;
  /** The quick story: our controller with hand-made Machines, without Cluster API's managers. */
  readonly withoutClusterApi: boolean;
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
  const flavour = await chooseFlavour(options, context, io.signal);
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
  if (flavour.follow) cleanups.push(flavour.follow(client, io.print));

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
  const expected = flavour.expected ?? names.length;
  const outcome = waitForOutcomes(progress, expected, {
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
  const total = counted(expected, flavour.noun);
  io.print('');
  io.print(
    ending.finished
      ? `${String(expected - failed.length)} of ${total} reached ${flavour.successState} in ${((Date.now() - running.started) / 1000).toFixed(1)} s.`
      : `Not all ${flavour.noun}s finished within ${String(options.deadlineMs / 1000)} s.`,
  );
  const verified = await checkOutcome(flavour, client, stack, io.print);
  io.print('');
  io.print(formatDurationTable(durationRows(progress.transitions)));
  const ok = ending.finished && failed.length === 0 && verified;
  return await ended(options, io, ok ? undefined : 'not every machine runs its installed OS');
}

/** The flavour's own check, else a login to each installed OS. */
async function checkOutcome(
  flavour: DemoFlavour,
  client: KubeClient,
  stack: DemoStack,
  print: (line: string) => void,
): Promise<boolean> {
  if (flavour.finish) return flavour.finish(client, print);
  return verifyInstalledOs(await flavour.osTargets(client), stack.osKey.privateKey, print);
}
