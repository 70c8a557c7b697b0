// Everything an HCloudMachine test with the real controller needs around it: a kube-apiserver,
// the Cloud simulator (servers boot real sshd rescue systems) with the rescue key registered, a
// commands folder, and a scratch folder the rescue systems can write to. Each machine gets its
// own namespace (provisioning-objects.ts gives its shared objects the same names in each).
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import type { SimDurations } from '../../sim/machine/durations.js';
import { createNamespace } from './kube-objects.js';
import { CRD_DIR, testClient, type TestClient } from './kube-runtime-fixtures.js';
import { createProvisioningObjects, type ProvisioningObjects } from './provisioning-objects.js';
import { startSimCloud, type SimCloudEnv } from './sim-cloud-env.js';

export const IMAGE_URL = 'oci://registry.example.com/images/node:v1';
/** Handed to the controller as OCI_REGISTRY_AUTH_TOKEN; must never show up in an event. */
export const REGISTRY_TOKEN = 'registry-5ecr3t-t0ken';

export interface MachineEnv {
  readonly controlPlane: KubeControlPlane;
  readonly cloud: SimCloudEnv;
  readonly api: TestClient;
  readonly commandsDir: string;
  /** Visible inside the rescue systems too (they keep only /root, /tmp, /dev and /run private). */
  readonly scratchDir: string;
  readonly rescueKey: ProvisioningObjects['rescueKey'];
  stop(): Promise<void>;
}

/** The rescue systems mount their own /root, /tmp, /dev and /run over the machine's. */
const privateInRescue = /^\/(root|tmp|dev|run)(\/|$)/;

/** Starts everything; when a part fails, stops what had started and throws. */
export async function startMachineEnv(durations: Partial<SimDurations> = {}): Promise<MachineEnv> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async (): Promise<void> => {
    for (const step of stops.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    const scratchDir = await mkdtemp(join(tmpdir(), 'imageurl-machine-env-'));
    stops.push(() => rm(scratchDir, { recursive: true, force: true }));
    if (privateInRescue.test(scratchDir)) {
      throw new Error(`${scratchDir} is private inside the rescue systems: run the tests with npm test`);
    }
    const commandsDir = join(scratchDir, 'commands');
    await mkdir(commandsDir, { mode: 0o755 });
    const started = await Promise.allSettled([
      startControlPlane({ crdPaths: [CRD_DIR] }),
      startSimCloud({ durations }),
    ]);
    for (const result of started) if (result.status === 'fulfilled') stops.push(() => result.value.stop());
    const [controlPlane, cloud] = started.map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    }) as [KubeControlPlane, SimCloudEnv];
    const api = testClient(controlPlane.kubeConfig());
    stops.push(() => {
      api.transport.close();
      return Promise.resolve();
    });
    const rescueKey = await registerRescueKey(cloud);
    return { controlPlane, cloud, api, commandsDir, scratchDir, rescueKey, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Registers a fresh rescue key in the Cloud simulator, as a MachineEnv has it. */
export async function registerRescueKey(cloud: SimCloudEnv): Promise<MachineEnv['rescueKey']> {
  const pair = generateSshKeyPair('rescue');
  const created = await cloud.api.call('POST', '/ssh_keys', { name: 'rescue', public_key: pair.publicKey });
  if (created.status !== 201) throw new Error(`registering the rescue key answered ${created.status}`);
  return { name: 'rescue', publicKey: pair.publicKey, privateKey: pair.privateKey };
}

/** Writes an executable command into the commands folder (not writable by everyone). */
export async function writeCommand(env: MachineEnv, name: string, script: string): Promise<void> {
  const path = join(env.commandsDir, name);
  await writeFile(path, script);
  await chmod(path, 0o755);
}

/**
 * Creates HCloudMachine `name` (with its Machine, Cluster, HetznerCluster and Secrets) in a
 * namespace of the same name; the controller names its server `name` too. The fourth argument is
 * the imageURL, or options with it and fields for the HetznerCluster's spec.
 */
export async function addMachine(
  env: MachineEnv,
  name: string,
  command: string,
  imageURL:
    | string
    | {
        readonly imageURL?: string;
        readonly hetznerClusterSpec?: Readonly<Record<string, unknown>>;
      } = IMAGE_URL,
): Promise<void> {
  const options = typeof imageURL === 'string' ? { imageURL } : imageURL;
  await addMachineIn(env, { namespace: name, name, command, ...options });
}

/** Like addMachine, in a namespace of its own name, maybe with a providerID from the start. */
export async function addMachineIn(
  env: MachineEnv,
  machine: {
    readonly namespace: string;
    readonly name: string;
    readonly command: string;
    readonly imageURL?: string;
    readonly providerID?: string;
    readonly hetznerClusterSpec?: Readonly<Record<string, unknown>>;
    readonly serverType?: string;
  },
): Promise<void> {
  await createNamespace(env.controlPlane.kubeConfig(), machine.namespace);
  await createProvisioningObjects(env.api.client, {
    namespace: machine.namespace,
    hcloudToken: env.cloud.sim.token,
    rescueKey: env.rescueKey,
    machineName: machine.name,
    imageURL: machine.imageURL ?? IMAGE_URL,
    imageURLCommand: machine.command,
    bootstrapData: `#cloud-config\nhostname: ${machine.name}\n`,
    hetznerClusterSpec: machine.hetznerClusterSpec ?? {},
    ...(machine.providerID === undefined ? {} : { providerID: machine.providerID }),
    ...(machine.serverType === undefined ? {} : { serverType: machine.serverType }),
  });
}
