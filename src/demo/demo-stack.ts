import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CloudSimulator } from '../../sim/cloud/cloud-simulator.js';
import { generateSshKeyPair, type SshKeyPair } from '../../sim/host/ssh-keys.js';
import { durationProfiles, type SimDurations } from '../../sim/machine/durations.js';
import {
  findClusterApiCrds,
  findControlPlaneBinaries,
  MissingAssetError,
  startControlPlane,
  type KubeControlPlane,
} from '../../sim/kube-control-plane/index.js';
import { startOciRegistry, type OciRegistry } from '../../sim/oci-registry/index.js';
import { freePort } from '../../sim/process/free-port.js';
import { createCertDir } from '../../sim/webhook/webhook-pki.js';
import { buildTestImage } from '../../sim/os-image/build-image.js';
import { parseImageReference } from '../oci/image-reference.js';
import { pushDiskImage } from '../oci/push-disk-image.js';
import { RegistryClient } from '../oci/registry-client.js';
import type { DemoPaths } from './demo-paths.js';
import { DemoStoppedError } from './demo-signal.js';

const MiB = 1024 * 1024;

/** Everything the demo runs besides the controller; `stop` ends it all, in reverse order. */
export interface DemoStack {
  readonly controlPlane: KubeControlPlane;
  readonly cloud: CloudSimulator;
  readonly registry: OciRegistry;
  /** `user:password` for the registry: the controller's OCI_REGISTRY_AUTH_TOKEN. */
  readonly registryToken: string;
  readonly imageURL: string;
  /** Logs in to the installed OS (the test image authorizes it), to show what booted. */
  readonly osKey: SshKeyPair;
  readonly rescueKey: SshKeyPair;
  /** Where the controller serves its webhooks (admission and the CRDs' /convert), and their CA. */
  readonly webhook: DemoWebhook;
}

export interface DemoWebhook {
  readonly certDir: string;
  readonly port: number;
  readonly url: string;
  readonly caPem: string;
}

export interface StackStep {
  /** Announces a step; the returned function reports it done. */
  (title: string): (detail: string) => void;
}

/** Hetzner's measured durations (the simulator's `realistic` profile) multiplied by `scale`. */
export function scaledDurations(scale: number): SimDurations {
  const realistic: Record<string, number> = durationProfiles.realistic;
  const scaled = Object.fromEntries(
    Object.entries(realistic).map(([key, ms]) => [
      key,
      key === 'rescueLapseMs' ? ms : Math.round(ms * scale),
    ]),
  );
  return scaled as unknown as SimDurations;
}

/** Builds the control plane and Cluster API's pieces on first use (tools/envtest), as `npm run setup` does. */
export async function ensureControlPlaneAssets(
  paths: DemoPaths,
  step: StackStep,
  signal: AbortSignal,
): Promise<void> {
  try {
    findControlPlaneBinaries();
    findClusterApiCrds();
    return;
  } catch (error) {
    if (!(error instanceof MissingAssetError)) throw error;
  }
  const done = step(
    "building kube-apiserver, etcd, kubectl, kube-controller-manager and Cluster API's managers from their Go modules (first run only: 20–40 min on 2 cores)",
  );
  await runScript(join(paths.root, 'tools', 'envtest', 'install.sh'), signal);
  done('built');
}

/** Starts the pieces one after another; `cleanups` receives each stop as soon as it exists. */
export async function startDemoStack(
  paths: DemoPaths,
  options: {
    readonly timeScale: number;
    readonly cleanups: (() => Promise<void>)[];
    readonly step: StackStep;
  },
): Promise<DemoStack> {
  const { cleanups, step } = options;
  let done = step('starting kube-apiserver + etcd with the imageurl and Cluster API CRDs');
  // The CRDs convert through the controller's webhook server (kubectl reads v1beta2 by default),
  // so its address and certificate are chosen before the CRDs are installed.
  const webhook = await demoWebhook(paths);
  const controlPlane = await startControlPlane({
    crdPaths: [paths.crds],
    tmpRoot: paths.work,
    conversionWebhook: webhook,
  });
  cleanups.push(() => controlPlane.stop());
  done(`${controlPlane.server} (ready in ${(controlPlane.timings.readyMs / 1000).toFixed(1)} s)`);

  done = step('starting the Hetzner Cloud simulator');
  const cloud = await CloudSimulator.start({
    stateDir: join(paths.work, 'cloud'),
    // Hetzner's measured durations, varying per server, multiplied by the scale.
    timeScale: options.timeScale,
    diskBytes: 64 * MiB,
  });
  cleanups.push(() => cloud.stop());
  done(`${cloud.endpoint} (Hetzner's measured durations × ${String(options.timeScale)})`);

  done = step('starting an OCI registry and pushing the test OS image');
  const registry = await startOciRegistry({ auth: 'htpasswd', parentDir: paths.work });
  cleanups.push(() => registry.stop());
  const user = registry.users[0];
  if (!user) throw new Error('the registry was started without a user');
  const osKey = generateSshKeyPair('demo-os-admin');
  const image = await buildTestImage({
    path: join(paths.work, 'node.img'),
    name: 'imageurl-demo-os',
    payloadBytes: 4 * MiB,
    authorizedKeys: [osKey.publicKey],
  });
  const target = parseImageReference(`oci://${registry.host}/demo/node:v1`);
  await pushDiskImage({
    file: image.path,
    target,
    client: new RegistryClient(registry.url, target.repository, { kind: 'basic', ...user }),
  });
  done(`oci://${registry.host}/demo/node:v1 (${(image.sizeBytes / MiB).toFixed(1)} MiB disk image)`);
  return {
    controlPlane,
    cloud,
    registry,
    registryToken: `${user.username}:${user.password}`,
    imageURL: `oci://${registry.host}/demo/node:v1`,
    osKey,
    rescueKey: generateSshKeyPair('demo-rescue'),
    webhook,
  };
}

async function demoWebhook(paths: DemoPaths): Promise<DemoWebhook> {
  const certDir = join(paths.work, 'webhook-certs');
  const { ca } = await createCertDir(certDir);
  const port = await freePort();
  return { certDir, port, url: `https://127.0.0.1:${String(port)}`, caPem: ca.certPem };
}

/**
 * Runs a setup script with its progress on our stderr. It gets its own process group so that
 * Ctrl-C stops the compilers it started too.
 */
export function runScript(script: string, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'ignore', 'inherit'], detached: true });
    const stop = (): void => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
    };
    signal.addEventListener('abort', stop, { once: true });
    child.on('error', reject);
    child.on('exit', (code) => {
      signal.removeEventListener('abort', stop);
      if (signal.aborted) reject(new DemoStoppedError());
      else if (code === 0) resolve();
      else reject(new Error(`${script} failed (exit ${String(code)}); its messages are above`));
    });
  });
}

/** Registers the rescue key in the Cloud project as a user would (POST /ssh_keys); returns its name. */
export async function registerSshKey(stack: DemoStack, name: string): Promise<string> {
  const response = await fetch(`${stack.cloud.endpoint}/ssh_keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.cloud.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, public_key: stack.rescueKey.publicKey }),
  });
  if (response.status !== 201)
    throw new Error(`registering SSH key ${name}: HTTP ${String(response.status)}`);
  return name;
}
