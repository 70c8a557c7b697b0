// The soak's world: bench/bare-metal-world.ts (kube-apiserver, Robot simulator with hosts that
// boot real rescue systems, OCI registry) plus the Cloud simulator, a TCP proxy the controllers
// reach the apiserver through (so the soak can take the apiserver away from them), and the
// two controller replicas. Faults are seeded from the soak's seed.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudSimulator } from '../sim/cloud/cloud-simulator.js';
import { generateSshKeyPair, type SshKeyPair } from '../sim/host/ssh-keys.js';
import { buildTestImage } from '../sim/os-image/build-image.js';
import { createNamespace } from '../test/support/kube-objects.js';
import { TcpProxy } from '../test/support/kube-runtime-tcp-proxy.js';
import {
  createBareMetalClusterObjects,
  createBareMetalHost,
} from '../test/support/bare-metal-provisioning-objects.js';
import { createProvisioningObjects } from '../test/support/provisioning-objects.js';
import { SimCloudClient } from '../test/support/sim-cloud-client.js';
import { diskCommandIn, startBareMetalWorld, type BareMetalWorld } from './bare-metal-world.js';
import { cloudFaults, commandWrapper, robotFaults, type FaultShares } from './chaos-faults.js';
import { ControllerReplicas, LEASE_NAMESPACE } from './chaos-replicas.js';

const MiB = 1024 * 1024;
export const HCLOUD_NAMESPACE = 'chaos-hcloud';
export const BM_NAMESPACE = 'chaos-baremetal';
export const BM_CLUSTER = 'chaos-bm';
export const HCLOUD_COMMAND = 'image-url-command-chaos-hcloud';
export const BM_COMMAND = 'image-url-command-chaos-baremetal';
/** The first HCloudMachine, created with the cluster objects. */
export const FIRST_HCLOUD_MACHINE = 'hc-0-0';
const FIRST_HOST = 301;

export interface ChaosWorldOptions {
  readonly seed: number;
  readonly hosts: number;
  readonly shares: FaultShares;
}

export interface ChaosWorld {
  readonly bm: BareMetalWorld;
  readonly cloud: CloudSimulator;
  readonly proxy: TcpProxy;
  readonly replicas: ControllerReplicas;
  /** `<ms> <machine> <attempt>` per command run. */
  readonly runsFile: string;
  /** Values that must never show in logs, events or statuses, by name. */
  readonly secrets: Readonly<Record<string, string>>;
  readonly hostNumbers: readonly number[];
  stop(): Promise<void>;
}

/** The dd "install" of the Cloud machines: a bootable simulated OS image onto the root device. */
const ddScript = (image: string): string =>
  `#!/bin/bash\nset -e\ndd if=${image} of=/dev/$4 bs=1M conv=fsync status=none\necho IMAGE_URL_DONE\n`;

/** A distinctive line of a private key (a log would rather hold a part than the whole PEM). */
const keyLine = (key: SshKeyPair): string =>
  key.privateKey.split('\n').find((line) => line.length > 40 && !line.startsWith('-----')) ?? key.privateKey;

export async function startChaosWorld(options: ChaosWorldOptions): Promise<ChaosWorld> {
  const { seed, shares } = options;
  const hostNumbers = Array.from({ length: options.hosts }, (_, i) => FIRST_HOST + i);
  const scripts = (scratch: string): Record<string, string> => ({
    'hcloud-dd': ddScript(join(scratch, 'hcloud-node.img')),
    [HCLOUD_COMMAND]: commandWrapper({
      runsFile: join(scratch, 'command-runs'),
      realCommand: join(scratch, 'commands', 'hcloud-dd'),
      seed,
      failShare: shares.commandFails,
    }),
    [BM_COMMAND]: commandWrapper({
      runsFile: join(scratch, 'command-runs'),
      realCommand: diskCommandIn(scratch),
      seed,
      failShare: shares.commandFails,
    }),
  });
  const bm = await startBareMetalWorld({
    servers: hostNumbers.map((number, i) => ({
      number,
      name: `dedicated-${i + 1}`,
      disks: [{ name: 'sda', sizeBytes: 64 * MiB, wwn: `0x5000c500${number}00` }],
    })),
    bareMetal: {},
    commandScripts: scripts,
    controller: 'none',
  });
  const stops: (() => Promise<void>)[] = [() => bm.stop()];
  const stop = async (): Promise<void> => {
    for (const step of stops.reverse()) await step().catch((error: unknown) => console.error(error));
  };
  try {
    const cloud = await CloudSimulator.start({
      stateDir: join(bm.scratch, 'cloud'),
      profile: 'fast',
      diskBytes: 64 * MiB,
    });
    stops.push(() => cloud.stop());
    await buildTestImage({ path: join(bm.scratch, 'hcloud-node.img'), name: 'chaos-os', payloadBytes: MiB });
    const hcloudRescueKey = generateSshKeyPair('rescue');
    await new SimCloudClient(cloud.endpoint, cloud.token).call('POST', '/ssh_keys', {
      name: 'rescue',
      public_key: hcloudRescueKey.publicKey,
    });
    const proxy = await TcpProxy.start(Number(new URL(bm.controlPlane.server).port));
    stops.push(() => proxy.close());
    const kubeconfigPath = join(bm.scratch, 'controllers.kubeconfig');
    const yaml = await readFile(bm.controlPlane.kubeconfigPath, 'utf8');
    await writeFile(kubeconfigPath, yaml.replace(bm.controlPlane.server, proxy.url));
    await createObjects(bm, cloud, hcloudRescueKey);
    for (const number of hostNumbers)
      await createBareMetalHost(bm.api.client, {
        namespace: BM_NAMESPACE,
        name: `host-${number}`,
        serverID: number,
        rootDeviceHints: { wwn: `0x5000c500${number}00` },
      });
    cloud.faults.seed(seed);
    cloud.faults.add(cloudFaults(shares));
    bm.robot.faults.seed(seed + 1);
    bm.robot.faults.add(robotFaults(shares));
    const logDir = join(bm.scratch, 'logs');
    await mkdir(logDir);
    const replicas = new ControllerReplicas({
      kubeconfigPath,
      commandsDir: bm.commandsDir,
      hcloudEndpoint: cloud.endpoint,
      robotEndpoint: bm.robot.endpoint,
      env: { OCI_REGISTRY_AUTH_TOKEN: bm.registryToken },
      logDir,
    });
    stops.push(() => replicas.stopAll());
    const secrets = {
      'hcloud token': cloud.token,
      'robot password': bm.robot.password,
      'hcloud rescue private key': keyLine(hcloudRescueKey),
      'robot rescue private key': keyLine(bm.rescueKey),
      'OS private key': keyLine(bm.osKey),
      'registry password': bm.registryToken.split(':').slice(1).join(':'),
    };
    const runsFile = join(bm.scratch, 'command-runs');
    return { bm, cloud, proxy, replicas, runsFile, secrets, hostNumbers, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function createObjects(
  bm: BareMetalWorld,
  cloud: CloudSimulator,
  rescueKey: SshKeyPair,
): Promise<void> {
  for (const namespace of [LEASE_NAMESPACE, HCLOUD_NAMESPACE, BM_NAMESPACE])
    await createNamespace(bm.controlPlane.kubeConfig(), namespace);
  await createProvisioningObjects(bm.api.client, {
    namespace: HCLOUD_NAMESPACE,
    hcloudToken: cloud.token,
    rescueKey: { name: 'rescue', publicKey: rescueKey.publicKey, privateKey: rescueKey.privateKey },
    machineName: FIRST_HCLOUD_MACHINE,
    imageURL: 'oci://registry.example.com/images/node:v1',
    imageURLCommand: HCLOUD_COMMAND,
    bootstrapData: '#cloud-config\n',
  });
  await createBareMetalClusterObjects(bm.api.client, {
    namespace: BM_NAMESPACE,
    cluster: BM_CLUSTER,
    robot: { user: bm.robot.user, password: bm.robot.password },
    rescueKey: bm.rescueKey,
    osKey: bm.osKey,
  });
}
