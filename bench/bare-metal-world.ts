// The world of a bare-metal provisioning run: a real kube-apiserver, the Robot simulator with
// dedicated servers that boot real rescue systems and the OS from their disks, an OCI registry
// holding the test image, a commands folder, and the controller in-process (runController) unless
// `controller: 'none'` leaves it to the caller (e.g. as a child process).
// Shared by bench/provisioning (bare-metal section) and the bare-metal integration tests.
import { chmod, copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { generateSshKeyPair, type SshKeyPair } from '../sim/host/ssh-keys.js';
import type { DiskSpec } from '../sim/host/host-disks.js';
import {
  startControlPlane,
  type ControlPlaneOptions,
  type KubeControlPlane,
} from '../sim/kube-control-plane/index.js';
import { startOciRegistry, type OciRegistry } from '../sim/oci-registry/index.js';
import { buildTestImage } from '../sim/os-image/build-image.js';
import {
  RobotSimulator,
  type RobotServerSpec,
  type RobotSimulatorOptions,
} from '../sim/robot/robot-simulator.js';
import type { BareMetalSettingsOverrides } from '../src/baremetal/index.js';
import { startInProcessController } from './in-process-controller.js';
import { runController, type ControllerSettings } from '../src/setup/index.js';
import {
  createLogger,
  KubeClient,
  KubeTransport,
  resolveRuntimeOptions,
  RuntimeMetrics,
  silentLogger,
  type Logger,
} from '../src/kube/index.js';
import { parseImageReference } from '../src/oci/image-reference.js';
import { pushDiskImage } from '../src/oci/push-disk-image.js';
import { RegistryClient } from '../src/oci/registry-client.js';

const MiB = 1024 * 1024;
const CRD_DIR = fileURLToPath(new URL('../config/crd/bases/', import.meta.url));
/** The repository's real disk command: pulls the image from the registry and writes the disk. */
const REPOSITORY_DISK_COMMAND = fileURLToPath(
  new URL('../commands/image-url-command-oci-disk', import.meta.url),
);

/**
 * Where a world's test commands find a copy of the real disk command: in its scratch folder,
 * which rescue systems see wherever the clone lives (a clone in /tmp is private to them).
 */
export function diskCommandIn(scratch: string): string {
  return join(scratch, 'commands', 'real-disk-command');
}

/** A client of the world's kube-apiserver (the runtime's own client). */
export interface WorldApi {
  readonly transport: KubeTransport;
  readonly client: KubeClient;
  readonly metrics: RuntimeMetrics;
  readonly log: Logger;
}

export interface BareMetalWorld {
  readonly controlPlane: KubeControlPlane;
  readonly api: WorldApi;
  readonly robot: RobotSimulator;
  readonly registry: OciRegistry;
  /** `oci://…` of the test image. */
  readonly imageUrl: string;
  /** The key the test image lets log in to the installed OS; also the machines' sshSpec key. */
  readonly osKey: SshKeyPair;
  readonly rescueKey: SshKeyPair;
  /** A scratch folder (removed on stop); commands may write into it. */
  readonly scratch: string;
  /** The folder the commands are resolved in (--commands-dir). */
  readonly commandsDir: string;
  /** OCI_REGISTRY_AUTH_TOKEN for a controller (`user:password` of the registry). */
  readonly registryToken: string;
  stop(): Promise<void>;
}

export interface BareMetalWorldOptions {
  readonly servers: readonly (RobotServerSpec & {
    readonly number: number;
    readonly disks: readonly DiskSpec[];
  })[];
  /** Bare-metal settings of the controller (short requeues and command timeout). */
  readonly bareMetal: BareMetalSettingsOverrides;
  /** The commands folder's scripts by name, given the scratch folder. */
  readonly commandScripts: (scratch: string) => Record<string, string>;
  /** `none`: no in-process controller; the caller runs its own (default `in-process`). */
  readonly controller?: 'in-process' | 'none';
  /** The Robot simulator's durations on top of the `fast` profile. */
  readonly robotDurations?: RobotSimulatorOptions['durations'];
  /** Robot publishes the rescue systems' host keys in its activation answers (default: not, as Robot). */
  readonly publishRescueHostKeys?: boolean;
  /** Further controller settings (e.g. a Cloud simulator as hcloudEndpoint). */
  readonly settings?: Pick<ControllerSettings, 'hcloudEndpoint'>;
  /** The controller's and the client's log level; default silent. */
  readonly logLevel?: string;
  readonly fieldManager?: string;
  /** kube-apiserver's audit log (the CRDs are always installed). */
  readonly controlPlane?: Pick<ControlPlaneOptions, 'audit'>;
}

async function writeCommands(dir: string, scripts: Record<string, string>): Promise<void> {
  for (const [name, script] of Object.entries(scripts)) {
    await writeFile(join(dir, name), script);
    await chmod(join(dir, name), 0o755);
  }
}

function worldApi(options: BareMetalWorldOptions, controlPlane: KubeControlPlane): WorldApi {
  const transport = new KubeTransport(controlPlane.kubeConfig(), { requestTimeoutMs: 10_000 });
  const level = options.logLevel ?? 'silent';
  return {
    transport,
    client: new KubeClient(transport, options.fieldManager ?? 'imageurl-bare-metal-world'),
    metrics: new RuntimeMetrics(new Registry()),
    log: level === 'silent' ? silentLogger() : createLogger({ level }),
  };
}

async function pushTestImage(registry: OciRegistry, scratch: string, osKey: SshKeyPair): Promise<string> {
  const user = registry.users[0];
  if (!user) throw new Error('the registry has no user');
  const image = await buildTestImage({
    path: join(scratch, 'node.img'),
    payloadBytes: 2 * MiB,
    defaultHostname: 'unnamed-node',
    authorizedKeys: [osKey.publicKey],
  });
  const url = `oci://${registry.host}/images/node:v1`;
  const target = parseImageReference(url);
  await pushDiskImage({
    file: image.path,
    target,
    client: new RegistryClient(registry.url, target.repository, { kind: 'basic', ...user }),
  });
  return url;
}

/** Starts everything; undoes what was started when a later step fails. */
export async function startBareMetalWorld(options: BareMetalWorldOptions): Promise<BareMetalWorld> {
  const cleanups: (() => Promise<void>)[] = [];
  const crashes: Error[] = [];
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    const [crash] = crashes.splice(0);
    if (crash !== undefined) throw crash;
  };
  try {
    const scratch = await mkdtemp(join(tmpdir(), 'imageurl-baremetal-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    const commandsDir = join(scratch, 'commands');
    await mkdir(commandsDir);
    await copyFile(REPOSITORY_DISK_COMMAND, diskCommandIn(scratch));
    await chmod(diskCommandIn(scratch), 0o755);
    await writeCommands(commandsDir, options.commandScripts(scratch));
    const [controlPlane, robot, registry] = await Promise.all([
      startControlPlane({ ...options.controlPlane, crdPaths: [CRD_DIR] }),
      RobotSimulator.start({
        stateDir: join(scratch, 'robot'),
        profile: 'fast',
        ipLock: false,
        servers: options.servers,
        ...(options.robotDurations === undefined ? {} : { durations: options.robotDurations }),
        ...(options.publishRescueHostKeys === true ? { publishRescueHostKeys: true } : {}),
      }),
      startOciRegistry({ auth: 'token' }),
    ]);
    cleanups.push(
      () => controlPlane.stop(),
      () => robot.stop(),
      () => registry.stop(),
    );
    const api = worldApi(options, controlPlane);
    cleanups.push(() => {
      api.transport.close();
      return Promise.resolve();
    });
    const osKey = generateSshKeyPair('os-admin');
    const imageUrl = await pushTestImage(registry, scratch, osKey);
    const user = registry.users[0];
    const runtime = resolveRuntimeOptions(
      {
        kubeconfig: controlPlane.kubeconfigPath,
        'metrics-bind-address': '0',
        'health-probe-bind-address': '0',
        'log-level': options.logLevel ?? 'silent',
      },
      {},
    );
    const registryToken = `${user?.username ?? ''}:${user?.password ?? ''}`;
    const settings = {
      ...options.settings,
      commandsDir,
      robotEndpoint: robot.endpoint,
      registryToken,
      bareMetal: options.bareMetal,
    };
    if (options.controller !== 'none') {
      const controller = startInProcessController((signal) =>
        runController(runtime, settings, { env: {} }, signal),
      );
      // A controller that ended on its own fails stop(), after everything else is stopped.
      cleanups.push(() =>
        controller.stop().catch((error: unknown) => {
          crashes.push(error instanceof Error ? error : new Error(String(error)));
        }),
      );
    }
    return {
      controlPlane,
      api,
      robot,
      registry,
      imageUrl,
      osKey,
      rescueKey: generateSshKeyPair('rescue'),
      scratch,
      commandsDir,
      registryToken,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
