import { Command, InvalidArgumentError } from '@commander-js/extra-typings';
import { HcloudServers } from '../../hetzner/cloud/index.js';
import { HcloudSshKeys } from '../../hetzner/cloud/ssh-keys.js';
import {
  createRuntime,
  LeaderElectionLostError,
  parseDuration,
  resolveRuntimeOptions,
  RUNTIME_FLAGS,
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
import { directoryCommandResolver, type SettingsOverrides } from '../../provisioning/index.js';
import { addHCloudMachineController, HcloudApiMetrics } from '../../reconcilers/hcloud-machine/index.js';
import { addHetznerBareMetalMachineController } from '../../reconcilers/hetzner-bare-metal-machine/index.js';
import { addHetznerClusterController } from '../../reconcilers/hetzner-cluster/index.js';
import { createSshRescueSystem } from '../../rescue/index.js';
import {
  CertificateFilesError,
  startWebhookServer,
  type ServedKind,
  type WebhookServer,
} from '../../webhooks/server/index.js';

export interface ControllerSettings {
  /** Where imageURLCommand names are resolved (default /shared). */
  readonly commandsDir: string;
  /** The Hetzner Cloud API (default the real one). */
  readonly hcloudEndpoint?: string;
  /** OCI_REGISTRY_AUTH_TOKEN of this process, handed to the commands. */
  readonly registryToken?: string;
  readonly provisioning?: SettingsOverrides;
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

/** The controllers on one runtime: HCloudMachine provisioning, HetznerCluster checks, bare-metal machines. */
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

type FlagValues = Record<string, string | boolean | undefined>;

/** commander's camelCase keys back to the runtime's flag names. */
function runtimeFlagValues(values: FlagValues): FlagValues {
  const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return Object.fromEntries(RUNTIME_FLAGS.map((spec) => [spec.flag, values[camel(spec.flag)]]));
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535)
    throw new InvalidArgumentError(
      `invalid value ${JSON.stringify(value.slice(0, 20))}; allowed: 0 to 65535`,
    );
  return port;
}

/** The spec: "If the script takes longer than 7 minutes, the controller cancels the provisioning." */
const COMMAND_TIMEOUT_DEFAULT_MS = 7 * 60_000;

function parseCommandTimeout(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined || ms < 1_000 || ms > 24 * 3_600_000)
    throw new InvalidArgumentError(
      `invalid value ${JSON.stringify(value.slice(0, 20))}; allowed: a duration from 1s to 24h, like 7m or 90s`,
    );
  return ms;
}

type CommandValues = FlagValues & {
  commandsDir: string;
  hcloudEndpoint?: string;
  webhookCertDir?: string;
  webhookPort: number;
  imageUrlCommandTimeout: number;
};

/**
 * `imageurl controller`: the HCloudMachine and HetznerCluster controllers, and with
 * `--webhook-cert-dir` the admission webhooks of `kinds`, until SIGTERM or SIGINT.
 */
export function controllerCommand(env: NodeJS.ProcessEnv, kinds: readonly ServedKind[]): Command {
  const command = new Command('controller')
    .description('run the HCloudMachine and HetznerCluster controllers (and the webhooks) until SIGTERM')
    .option('--commands-dir <dir>', 'folder the imageURLCommand names are resolved in', '/shared')
    .option('--hcloud-endpoint <url>', 'Hetzner Cloud API endpoint (default the real one)')
    .option(
      '--webhook-cert-dir <dir>',
      'serve the admission webhooks with tls.crt and tls.key from here (default off)',
    )
    .option('--webhook-port <port>', 'HTTPS port of the webhooks (0 picks a free one)', parsePort, 9443)
    .option(
      '--image-url-command-timeout <duration>',
      'cancel provisioning when the image-url-command runs longer (e.g. 7m, 90s)',
      parseCommandTimeout,
      COMMAND_TIMEOUT_DEFAULT_MS,
    );
  for (const spec of RUNTIME_FLAGS) {
    const flag = spec.kind === 'boolean' ? `--${spec.flag}` : `--${spec.flag} <value>`;
    command.option(flag, `${spec.description} [$${spec.env}]`);
    // Booleans that default to true must be switchable off on the command line too.
    if (spec.kind === 'boolean') command.option(`--no-${spec.flag}`, `turn --${spec.flag} off`);
  }
  command.action(async (values) => {
    const all = values as CommandValues;
    const options = resolveRuntimeOptions(runtimeFlagValues(all), env);
    const termination = terminationSignal(process);
    const registryToken = env['OCI_REGISTRY_AUTH_TOKEN'];
    const settings: ControllerSettings = {
      commandsDir: all.commandsDir,
      provisioning: { timeoutsMs: { RunningImageCommand: all.imageUrlCommandTimeout } },
      ...(all.hcloudEndpoint ? { hcloudEndpoint: all.hcloudEndpoint } : {}),
      ...(registryToken ? { registryToken } : {}),
      ...(all.webhookCertDir
        ? { webhook: { certDir: all.webhookCertDir, port: all.webhookPort, kinds } }
        : {}),
    };
    try {
      await runController(options, settings, { env, redact: redactor(registryToken) }, termination.signal);
    } catch (error) {
      if (!(error instanceof LeaderElectionLostError)) throw error;
      process.exitCode = 3;
    } finally {
      termination.dispose();
    }
  });
  return command;
}

/** Hides the registry token from logs and event notes. */
function redactor(secret: string | undefined): (text: string) => string {
  return (text) => (secret ? text.split(secret).join('[REDACTED]') : text);
}
