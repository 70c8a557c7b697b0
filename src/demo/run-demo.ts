import { rm } from 'node:fs/promises';
import { checkHostRequirements } from '../../sim/host/host-requirements.js';
import { KubeClient, KubeTransport, Informer, silentLogger } from '../kube/index.js';
import { BootProgress, type MachineView } from './boot-progress.js';
import { startDemoController } from './demo-controller.js';
import { applyDemoObjects, createDemoNamespace, DEMO_NAMESPACE, hcloudMachines } from './demo-objects.js';
import { demoPaths } from './demo-paths.js';
import {
  ensureControlPlaneAssets,
  registerSshKey,
  startDemoStack,
  type DemoStack,
  type StackStep,
} from './demo-stack.js';
import { durationRows, formatDurationTable } from './duration-table.js';
import { lookAround, reportClusterReady, verifyInstalledOs } from './demo-report.js';
import { DemoStoppedError, untilAborted } from './demo-signal.js';
import { registerWebhooks, webhookRefusal } from './demo-webhook.js';
import type { ServedKind } from '../webhooks/server/index.js';

export interface DemoOptions {
  readonly machines: number;
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

/** `imageurl demo`: everything on this machine, machines provisioned end to end; 0 when all run. */
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
  const registered = await registerSshKey(stack, 'demo-rescue');
  let done = step('starting the controller (imageurl controller, in this process)');
  const controller = await startDemoController(paths, stack, options);
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
  const progress = new BootProgress(io.print, Date.now());
  const informer = new Informer<MachineView>(client, {
    kind: hcloudMachines,
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

  const names = Array.from({ length: options.machines }, (_, i) => `demo-worker-${String(i + 1)}`);
  done = step(`applying HetznerCluster, Cluster and ${String(names.length)} Machines with HCloudMachines`);
  await applyDemoObjects(client, {
    hcloudToken: stack.cloud.token,
    rescueKey: {
      name: registered,
      publicKey: stack.rescueKey.publicKey,
      privateKey: stack.rescueKey.privateKey,
    },
    machines: names,
    imageURL: stack.imageURL,
    imageURLCommand: options.imageURLCommand,
  });
  done(`namespace ${DEMO_NAMESPACE}; imageURL ${stack.imageURL}, imageURLCommand ${options.imageURLCommand}`);

  const clusterReady = reportClusterReady(client, io.print);
  const finished = await untilAborted(
    io.signal,
    Promise.race([waitForOutcomes(progress, names.length, options.deadlineMs), controller.failed]),
  );
  await clusterReady;
  const failed = [...progress.outcomes].filter(([, state]) => state !== 'OperatingSystemRunning');
  io.print('');
  io.print(
    finished
      ? `${String(names.length - failed.length)} of ${String(names.length)} machines reached OperatingSystemRunning in ${((Date.now() - running.started) / 1000).toFixed(1)} s.`
      : `Not every machine finished within ${String(options.deadlineMs / 1000)} s.`,
  );
  const verified = await verifyInstalledOs(client, stack, io.print);
  io.print('');
  io.print(formatDurationTable(durationRows(progress.transitions)));
  io.print('');
  lookAround(stack, controller, io.print, options.exitWhenDone);
  const ok = finished && failed.length === 0 && verified;
  if (!options.exitWhenDone) {
    await untilAborted(io.signal, new Promise<never>(() => undefined)).catch((error: unknown) => {
      if (!(error instanceof DemoStoppedError)) throw error;
    });
  }
  return ok ? 0 : 1;
}

/** True when `count` machines reached a final state, false at the deadline. */
async function waitForOutcomes(progress: BootProgress, count: number, deadlineMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), deadlineMs)));
  try {
    return await Promise.race([progress.whenFinished(count).then(() => true), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
