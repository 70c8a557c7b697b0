// The management cluster as users run it, for tests: a kube-apiserver with imageurl's CRDs,
// kube-controller-manager's namespace controller (so a deleted namespace really goes), Cluster
// API's core, kubeadm bootstrap and kubeadm control-plane managers as processes (webhooks served
// for real), imageurl's controller in this process, and the Cloud simulator whose servers
// boot real sshd rescue systems (and, when asked, the Robot simulator's dedicated servers).
// Everything is stopped by stop(), whatever failed.
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudSimulatorOptions } from '../../sim/cloud/cloud-simulator.js';
import { buildTestImage } from '../../sim/os-image/build-image.js';
import { GROUP } from '../../api/v1beta1/index.js';
import { robotLookup } from '../../sim/kubeadm/robot-lookup.js';
import { RobotSimulator, type RobotServerSpec } from '../../sim/robot/robot-simulator.js';
import type { BareMetalSettingsOverrides } from '../../src/baremetal/index.js';
import type { WorkloadSettings } from '../../sim/kubeadm/workload-settings.js';
import { startClusterApiManagers, type ClusterApiManagers } from '../../sim/cluster-api/index.js';
import {
  startControlPlane,
  startNamespaceController,
  type KubeControlPlane,
} from '../../sim/kube-control-plane/index.js';
import { outputTail } from '../../sim/kube-control-plane/readiness.js';
import { resolveRuntimeOptions } from '../../src/kube/index.js';
import { runController } from '../../src/setup/index.js';
import { createCertDir } from '../../sim/webhook/webhook-pki.js';
import { allKindAdmissions } from '../../src/webhooks/kinds/index.js';
import { startWebhookServer, type WebhookServer } from '../../src/webhooks/server/index.js';
import { startInProcessController, type InProcessController } from './in-process-controller.js';
import { CRD_DIR, testClient, type TestClient } from './kube-runtime-fixtures.js';
import { registerRescueKey, type MachineEnv } from './machine-env.js';
import { startSimCloud, type SimCloudEnv } from './sim-cloud-env.js';

/**
 * The image-url-command the machines run: it writes a bootable simulated OS without bootstrap
 * data (no kubeadm runs), so the installed OS answers SSH after the reboot, as a real one does,
 * and OperatingSystemRunning needs no fallback.
 */
export const CAPI_COMMAND = 'image-url-command-capi';
const script = (image: string): string =>
  `#!/bin/bash\nset -e\necho "installing $1 onto /dev/$4"\n` +
  `dd if='${image}' of="/dev/$4" bs=1M conv=fsync status=none\necho IMAGE_URL_DONE\n`;

export interface CapiEnv {
  readonly controlPlane: KubeControlPlane;
  readonly cloud: SimCloudEnv;
  /** The Robot simulator, when CapiEnvOptions.robot asked for one. */
  readonly robot: RobotSimulator | undefined;
  readonly managers: ClusterApiManagers;
  /** imageurl's webhook server: the CRDs' conversion webhook (/convert) sends its calls here. */
  readonly webhook: WebhookServer;
  /** kube-apiserver's audit log of requests for imageurl's kinds, when CapiEnvOptions.audit asked for it. */
  readonly auditLog: string | undefined;
  readonly api: TestClient;
  readonly rescueKey: MachineEnv['rescueKey'];
  /** Scratch space the rescue systems see too (they keep only /root, /tmp, /dev and /run private). */
  readonly workDir: string;
  /** Puts an executable image-url-command into the controller's commands folder. */
  writeCommand(name: string, script: string): Promise<void>;
  /** imageurl's log lines (JSON objects), to see a reconcile that decided to do nothing. */
  readonly logLines: readonly Record<string, unknown>[];
  /** Runs `body`; a failure gets the tail of every manager's log and of imageurl's appended. */
  explain<T>(body: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

async function managerLogs(managers: ClusterApiManagers | undefined): Promise<string> {
  const tails = await Promise.all(
    (managers?.managers ?? []).map(async (manager) => {
      const text = await readFile(manager.logFile, 'utf8').catch(() => '');
      return `--- ${manager.name} (${manager.logFile})\n${outputTail(text, 60)}`;
    }),
  );
  return tails.join('\n');
}

export interface CapiEnvOptions {
  /** Audit every request for imageurl's kinds (to see who reads them in which version). */
  readonly audit?: boolean;
  /** Cloud simulator options over the fast profile (e.g. its workload clusters' timings and log). */
  readonly cloud?: Partial<CloudSimulatorOptions>;
  /**
   * Dedicated servers in a Robot simulator, for bare-metal machines: the controller talks to it,
   * its servers boot kubeadm data as the Cloud's do, and the workload clusters' cloud controller
   * finds them there by name (as hcloud's cloud controller with Robot support).
   */
  readonly robot?: {
    readonly servers: readonly RobotServerSpec[];
    readonly bareMetal: BareMetalSettingsOverrides;
  };
}

/** Starts everything; when a part fails, stops what had started and throws. */
export async function startCapiEnv(options: CapiEnvOptions = {}): Promise<CapiEnv> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async (): Promise<void> => {
    for (const step of stops.splice(0).reverse()) await step().catch(() => undefined);
  };
  const logLines: Record<string, unknown>[] = [];
  let managers: ClusterApiManagers | undefined;
  try {
    const workDir = await mkdtemp(join(tmpdir(), 'imageurl-capi-'));
    stops.push(() => rm(workDir, { recursive: true, force: true }));
    if (/^\/(root|tmp|dev|run)(\/|$)/.test(workDir))
      throw new Error(
        `${workDir} is private inside the rescue systems: set TMPDIR elsewhere (e.g. /var/tmp)`,
      );
    const commandsDir = join(workDir, 'commands');
    await mkdir(commandsDir, { mode: 0o755 });
    const writeCommand = async (name: string, script: string): Promise<void> => {
      await writeFile(join(commandsDir, name), script);
      await chmod(join(commandsDir, name), 0o755);
    };
    // The test's own scratch path, no user data in the script.
    const image = await buildTestImage({ path: join(workDir, 'capi.img'), payloadBytes: 64 * 1024 });
    await writeCommand(CAPI_COMMAND, script(image.path));
    const webhook = await startConversionWebhook(workDir);
    stops.push(() => webhook.server.close());
    const audit = await auditOurKinds(workDir, options.audit === true);
    const controlPlane = await startControlPlane({
      crdPaths: [CRD_DIR],
      conversionWebhook: { url: webhook.server.url, caPem: webhook.caPem },
      audit,
    });
    stops.push(() => controlPlane.stop());
    const namespaces = startNamespaceController({ kubeconfigPath: controlPlane.kubeconfigPath });
    stops.push(() => namespaces.stop());
    const robot = options.robot
      ? await RobotSimulator.start({
          stateDir: join(workDir, 'robot'),
          profile: 'fast',
          ipLock: false,
          servers: options.robot.servers,
          workloadClusters: workloadSettings(options.cloud),
        })
      : undefined;
    if (robot) stops.push(() => robot.stop());
    const cloud = await startSimCloud(withRobotLookup(options.cloud, robot));
    stops.push(() => cloud.stop());
    const api = testClient(controlPlane.kubeConfig());
    stops.push(() => {
      api.transport.close();
      return Promise.resolve();
    });
    managers = await startClusterApiManagers({
      kubeconfigPath: controlPlane.kubeconfigPath,
      kubeConfig: controlPlane.kubeConfig(),
      workDir,
    });
    const running = managers;
    stops.push(() => running.stop());
    const controller = startImageurl(controlPlane, { cloud, robot, commandsDir, logLines }, options);
    stops.push(() => controller.stop());
    const rescueKey = await registerRescueKey(cloud);
    const explain = async <T>(body: () => Promise<T>): Promise<T> => {
      try {
        return await body();
      } catch (error) {
        const ours = logLines.slice(-40).map((line) => JSON.stringify(line));
        const ended = namespaces.exitNote();
        const logs = `${await managerLogs(running)}\n--- imageurl\n${ours.join('\n')}${ended ? `\n${ended}` : ''}`;
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`${message}\n\nLogs:\n${logs}`, { cause: error });
      }
    };
    return {
      controlPlane,
      cloud,
      robot,
      managers,
      webhook: webhook.server,
      auditLog: options.audit === true ? audit.logPath : undefined,
      api,
      rescueKey,
      workDir,
      writeCommand,
      logLines,
      explain,
      stop,
    };
  } catch (error) {
    const logs = await managerLogs(managers);
    await stop();
    if (logs && error instanceof Error) error.message += `\n${logs}`;
    throw error;
  }
}

/**
 * imageurl's webhook server on loopback, as the controller's Deployment serves it behind the
 * webhook Service: Cluster API's managers read our objects in the version the CRDs' contract
 * label names, and every read in a version other than the stored one goes through /convert.
 */
async function startConversionWebhook(workDir: string): Promise<{ server: WebhookServer; caPem: string }> {
  const certDir = join(workDir, 'webhook-certs');
  const { ca } = await createCertDir(certDir);
  const server = await startWebhookServer({
    kinds: allKindAdmissions(),
    certDir,
    controllerUsername: 'system:serviceaccount:capi-system:imageurl',
    port: 0,
    host: '127.0.0.1',
    log: () => undefined,
  });
  return { server, caPem: ca.certPem };
}

/**
 * An audit policy recording every request for imageurl's API group (metadata only) when `wanted`,
 * else nothing, and where the log goes.
 */
async function auditOurKinds(
  workDir: string,
  wanted: boolean,
): Promise<{ policyFile: string; logPath: string }> {
  const policyFile = join(workDir, 'audit-policy.json');
  const ours = wanted ? [{ level: 'Metadata', resources: [{ group: GROUP }] }] : [];
  const policy = {
    apiVersion: 'audit.k8s.io/v1',
    kind: 'Policy',
    omitStages: ['RequestReceived'],
    rules: [...ours, { level: 'None' }],
  };
  await writeFile(policyFile, JSON.stringify(policy));
  return { policyFile, logPath: join(workDir, 'audit.log') };
}

/** The Cloud's workload-cluster settings (timings, log), for the Robot's servers too. */
function workloadSettings(cloud: Partial<CloudSimulatorOptions> | undefined): WorkloadSettings {
  const settings = cloud?.workloadClusters;
  return settings === false || settings === undefined ? {} : settings;
}

function withRobotLookup(
  cloud: Partial<CloudSimulatorOptions> | undefined,
  robot: RobotSimulator | undefined,
): Partial<CloudSimulatorOptions> | undefined {
  if (robot === undefined) return cloud;
  const cloudLookup = robotLookup(() => robot.endpoint, robot.user, robot.password);
  return { ...cloud, workloadClusters: { ...workloadSettings(cloud), cloudLookup } };
}

interface ImageurlWorld {
  readonly cloud: SimCloudEnv;
  readonly robot: RobotSimulator | undefined;
  readonly commandsDir: string;
  readonly logLines: Record<string, unknown>[];
}

function startImageurl(
  controlPlane: KubeControlPlane,
  { cloud, robot, commandsDir, logLines }: ImageurlWorld,
  envOptions: CapiEnvOptions,
): InProcessController {
  const options = resolveRuntimeOptions(
    {
      kubeconfig: controlPlane.kubeconfigPath,
      'metrics-bind-address': '0',
      'health-probe-bind-address': '0',
      'log-level': 'info',
    },
    {},
  );
  const logDestination = {
    write: (line: string): void => {
      logLines.push(JSON.parse(line) as Record<string, unknown>);
      if (process.env.IMAGEURL_TEST_LOG) process.stdout.write(line);
    },
  };
  const settings = {
    commandsDir,
    hcloudEndpoint: cloud.sim.endpoint,
    ...(robot && envOptions.robot
      ? { robotEndpoint: robot.endpoint, bareMetal: envOptions.robot.bareMetal }
      : {}),
  };
  return startInProcessController((signal) =>
    runController(options, settings, { env: {}, logDestination }, signal),
  );
}
