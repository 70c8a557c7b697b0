// The world of a bare-metal provisioning test: a real kube-apiserver, the Robot simulator with
// dedicated servers that boot real rescue systems and the OS from their disks, an OCI registry
// holding the test image, a commands folder, and the controller in-process (runController).
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSshKeyPair, type SshKeyPair } from '../../sim/host/ssh-keys.js';
import type { DiskSpec } from '../../sim/host/host-disks.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import { startOciRegistry, type OciRegistry } from '../../sim/oci-registry/index.js';
import { buildTestImage } from '../../sim/os-image/build-image.js';
import { RobotSimulator, type RobotServerSpec } from '../../sim/robot/robot-simulator.js';
import type { BareMetalSettingsOverrides } from '../../src/baremetal/index.js';
import { runController } from '../../src/cli/commands/controller.js';
import { resolveRuntimeOptions } from '../../src/kube/index.js';
import { parseImageReference } from '../../src/oci/image-reference.js';
import { pushDiskImage } from '../../src/oci/push-disk-image.js';
import { RegistryClient } from '../../src/oci/registry-client.js';
import { CRD_DIR, testClient, type TestClient } from './kube-runtime-fixtures.js';

const MiB = 1024 * 1024;
const OCI_DISK_COMMAND = fileURLToPath(new URL('../../commands/image-url-command-oci-disk', import.meta.url));

/** The commands the tests name in installImage.imageURLCommand. */
export const commands = {
  /** Records its arguments into `<scratch>/args-<machine name>`, then runs the real disk command. */
  recording: 'image-url-command-record',
  /** Prints and fails without the IMAGE_URL_DONE marker. */
  failing: 'image-url-command-failing',
  /** Prints one line and then runs far past the command timeout. */
  hanging: 'image-url-command-hanging',
} as const;

export interface BareMetalWorld {
  readonly controlPlane: KubeControlPlane;
  readonly api: TestClient;
  readonly robot: RobotSimulator;
  readonly registry: OciRegistry;
  /** `oci://…` of the test image. */
  readonly imageUrl: string;
  /** The key the test image lets log in to the installed OS; also the machines' sshSpec key. */
  readonly osKey: SshKeyPair;
  readonly rescueKey: SshKeyPair;
  /** Where the recording command writes what it received (inside the test's TMPDIR). */
  readonly scratch: string;
  stop(): Promise<void>;
}

export interface BareMetalWorldOptions {
  readonly servers: readonly (RobotServerSpec & {
    readonly number: number;
    readonly disks: readonly DiskSpec[];
  })[];
  /** Bare-metal settings of the controller (short requeues and command timeout). */
  readonly bareMetal: BareMetalSettingsOverrides;
}

async function writeCommands(dir: string, scratch: string): Promise<void> {
  const scripts: Record<string, string> = {
    [commands.recording]: `#!/bin/bash\nprintf '%s\\n' "$@" > '${scratch}/args-'"$3"\nexec '${OCI_DISK_COMMAND}' "$@"\n`,
    [commands.failing]: '#!/bin/bash\necho "writing the disk"\necho "the disk is on fire" >&2\nexit 1\n',
    [commands.hanging]: '#!/bin/bash\necho "downloading forever"\nexec sleep 3600\n',
  };
  for (const [name, script] of Object.entries(scripts)) {
    await writeFile(join(dir, name), script);
    await chmod(join(dir, name), 0o755);
  }
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
  const stop = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const scratch = await mkdtemp(join(tmpdir(), 'imageurl-baremetal-'));
    cleanups.push(() => rm(scratch, { recursive: true, force: true }));
    const commandsDir = join(scratch, 'commands');
    await mkdir(commandsDir);
    await writeCommands(commandsDir, scratch);
    const [controlPlane, robot, registry] = await Promise.all([
      startControlPlane({ crdPaths: [CRD_DIR] }),
      RobotSimulator.start({
        stateDir: join(scratch, 'robot'),
        profile: 'fast',
        ipLock: false,
        servers: options.servers,
      }),
      startOciRegistry({ auth: 'token' }),
    ]);
    cleanups.push(
      () => controlPlane.stop(),
      () => robot.stop(),
      () => registry.stop(),
    );
    const api = testClient(controlPlane.kubeConfig());
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
        'log-level': process.env.IMAGEURL_TEST_LOG ?? 'silent',
      },
      {},
    );
    const settings = {
      commandsDir,
      robotEndpoint: robot.endpoint,
      registryToken: `${user?.username ?? ''}:${user?.password ?? ''}`,
      bareMetal: options.bareMetal,
    };
    const stopController = new AbortController();
    const controller = runController(runtime, settings, { env: {} }, stopController.signal);
    controller.catch(() => undefined);
    cleanups.push(async () => {
      stopController.abort();
      await controller.catch(() => undefined);
    });
    return {
      controlPlane,
      api,
      robot,
      registry,
      imageUrl,
      osKey,
      rescueKey: generateSshKeyPair('rescue'),
      scratch,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
