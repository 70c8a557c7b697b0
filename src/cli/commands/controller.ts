import { Command } from '@commander-js/extra-typings';
import type { BareMetalSettingsOverrides } from '../../baremetal/index.js';
import { HcloudServers } from '../../hetzner/cloud/index.js';
import { HcloudSshKeys } from '../../hetzner/cloud/ssh-keys.js';
import { HrobotServers, RobotRequestBudget } from '../../hetzner/robot/index.js';
import {
  createRuntime,
  LeaderElectionLostError,
  terminationSignal,
  type Logger,
  type Runtime,
  type RuntimeDependencies,
  type RuntimeOptions,
} from '../../kube/index.js';
import { systemClock } from '../../ports/clock.js';
import type { CloudApiObserver } from '../../ports/cloud-api-observer.js';
import type { CloudServers } from '../../ports/cloud-servers.js';
import type { CloudSshKeys } from '../../ports/cloud-ssh-keys.js';
import type { RobotServers } from '../../ports/robot-servers.js';
import { directoryCommandResolver } from '../../image-url/index.js';
import type { SettingsOverrides } from '../../provisioning/index.js';
import { addHCloudMachineController, HcloudApiMetrics } from '../../reconcilers/hcloud-machine/index.js';
import {
  addHetznerBareMetalHostController,
  RobotApiMetrics,
} from '../../reconcilers/hetzner-bare-metal-host/index.js';
import { addHetznerBareMetalMachineController } from '../../reconcilers/hetzner-bare-metal-machine/index.js';
import { addHetznerClusterController } from '../../reconcilers/hetzner-cluster/index.js';
import { createSshRescueSystem } from '../../rescue/index.js';
import {
  CertificateFilesError,
  startWebhookServer,
  type ServedKind,
  type WebhookServer,
} from '../../webhooks/server/index.js';
import { addControllerFlags, controllerConfig, redactor } from './controller-flags.js';

export interface ControllerSettings {
  /** Where imageURLCommand names are resolved (default /shared). */
  readonly commandsDir: string;
  /** The Hetzner Cloud API (default the real one). */
  readonly hcloudEndpoint?: string;
  /** The Robot webservice (default the real one). */
  readonly robotEndpoint?: string;
  /** OCI_REGISTRY_AUTH_TOKEN of this process, handed to the commands. */
  readonly registryToken?: string;
  readonly provisioning?: SettingsOverrides;
  /** Bare-metal host settings (`timeoutsMs['image-installing']`: the same command timeout). */
  readonly bareMetal?: BareMetalSettingsOverrides;
  /** Serve the admission webhooks in this process too (as `imageurl webhook` does). */
  readonly webhook?: ControllerWebhook;
}

export interface ControllerWebhook {
  /** Folder with tls.crt and tls.key (reloaded when they change). */
  readonly certDir: string;
  /** HTTPS port; 0 picks a free one. */
  readonly port: number;
  /** Default 0.0.0.0. */
  readonly host?: string;
  readonly kinds: readonly ServedKind[];
}

/**
 * One HcloudServers per token, kept for the life of the process (its request budget is per
 * token); all report to one observer (metrics without any token in them).
 */
function cloudCache(
  endpoint: string | undefined,
  observer: CloudApiObserver,
): (token: string) => CloudServers {
  const cache = new Map<string, HcloudServers>();
  return (token) => {
    let servers = cache.get(token);
    if (!servers) {
      servers = new HcloudServers({ token, observer, ...(endpoint === undefined ? {} : { endpoint }) });
      cache.set(token, servers);
    }
    return servers;
  };
}

/** One SSH-key client per token (the HetznerCluster checks), reporting to the same observer. */
function sshKeysCache(
  endpoint: string | undefined,
  observer: CloudApiObserver,
): (token: string) => CloudSshKeys {
  const cache = new Map<string, CloudSshKeys>();
  return (token) => {
    let keys = cache.get(token);
    if (!keys) {
      keys = new HcloudSshKeys({ token, observer, ...(endpoint === undefined ? {} : { endpoint }) });
      cache.set(token, keys);
    }
    return keys;
  };
}

/**
 * One Robot client per account, kept for the life of the process: its hourly request budget and
 * its 401 guard are per account. A changed password gets a new client on the same budget.
 */
function robotCache(
  endpoint: string | undefined,
  observer: RobotApiMetrics,
): (user: string, password: string) => RobotServers {
  const cache = new Map<string, { password: string; budget: RobotRequestBudget; servers: RobotServers }>();
  return (user, password) => {
    const cached = cache.get(user);
    if (cached?.password === password) return cached.servers;
    const budget = cached?.budget ?? new RobotRequestBudget();
    const options = { user, password, budget, observer };
    const servers = new HrobotServers(endpoint === undefined ? options : { ...options, endpoint });
    cache.set(user, { password, budget, servers });
    return servers;
  };
}

/** The admission webhooks, logging through the runtime's logger; rejects naming the flag at fault. */
async function startWebhook(webhook: ControllerWebhook, log: Logger): Promise<WebhookServer> {
  try {
    return await startWebhookServer({
      kinds: webhook.kinds,
      certDir: webhook.certDir,
      port: webhook.port,
      ...(webhook.host === undefined ? {} : { host: webhook.host }),
      log: (message, fields = {}) => log.info(fields, message),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const flag = error instanceof CertificateFilesError ? '--webhook-cert-dir' : '--webhook-port';
    throw new Error(`${flag}: ${reason}`, { cause: error });
  }
}

/** The controllers on one runtime: HCloudMachine provisioning, HetznerCluster checks, bare-metal machines and hosts. */
function addControllers(runtime: Runtime, settings: ControllerSettings, concurrency: number): void {
  const observer = new HcloudApiMetrics(runtime.metrics.registry);
  addHCloudMachineController(
    runtime,
    {
      client: runtime.client,
      cloudFor: cloudCache(settings.hcloudEndpoint, observer),
      rescue: createSshRescueSystem(),
      commands: directoryCommandResolver(settings.commandsDir),
      clock: systemClock(),
      ...(settings.registryToken ? { registryToken: settings.registryToken } : {}),
      ...(settings.provisioning ? { settings: settings.provisioning } : {}),
    },
    { workers: concurrency },
  );
  const sshKeysFor = sshKeysCache(settings.hcloudEndpoint, observer);
  addHetznerClusterController(runtime, { client: runtime.client, sshKeysFor, clock: systemClock() });
  addHetznerBareMetalMachineController(
    runtime,
    { client: runtime.client, clock: systemClock() },
    { workers: concurrency },
  );
  addHetznerBareMetalHostController(
    runtime,
    {
      client: runtime.client,
      robotFor: robotCache(settings.robotEndpoint, new RobotApiMetrics(runtime.metrics.registry)),
      rescue: createSshRescueSystem(),
      commands: directoryCommandResolver(settings.commandsDir),
      clock: systemClock(),
      ...(settings.registryToken ? { registryToken: settings.registryToken } : {}),
      ...(settings.bareMetal ? { settings: settings.bareMetal } : {}),
    },
    { workers: concurrency },
  );
}

/**
 * Runs the controllers (and the webhooks, when configured: they start first and stop last)
 * until `signal` aborts, or the leader lease is lost: that rejects.
 */
export async function runController(
  options: RuntimeOptions,
  settings: ControllerSettings,
  deps: RuntimeDependencies,
  signal: AbortSignal,
): Promise<void> {
  const runtime = createRuntime(options, deps);
  addControllers(runtime, settings, options.concurrency);
  let webhook: WebhookServer | undefined;
  try {
    if (settings.webhook) webhook = await startWebhook(settings.webhook, runtime.log);
    await runtime.manager.run(signal);
  } finally {
    if (webhook) {
      runtime.log.info('Stopping admission webhooks');
      await webhook.close();
    }
    runtime.transport.close();
  }
}

/**
 * `imageurl controller`: the HCloudMachine, HetznerCluster, HetznerBareMetalMachine and
 * HetznerBareMetalHost controllers, and with `--webhook-cert-dir` the admission webhooks of
 * `kinds`, until SIGTERM or SIGINT.
 */
export function controllerCommand(env: NodeJS.ProcessEnv, kinds: readonly ServedKind[]): Command {
  const command = addControllerFlags(
    new Command('controller').description(
      'run the HCloudMachine, HetznerCluster and bare-metal controllers (and the webhooks) until SIGTERM',
    ),
  );
  command.action(async (values) => {
    const { options, settings } = controllerConfig(values, env, kinds);
    const termination = terminationSignal(process);
    const redact = redactor(settings.registryToken);
    try {
      await runController(options, settings, { env, redact }, termination.signal);
    } catch (error) {
      if (!(error instanceof LeaderElectionLostError)) throw error;
      process.exitCode = 3;
    } finally {
      termination.dispose();
    }
  });
  return command;
}
