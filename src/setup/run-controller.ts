import { createRuntime, type Runtime, type RuntimeDependencies, type RuntimeOptions } from '../kube/index.js';
import { systemClock, type Clock } from '../ports/clock.js';
import { KnownSecrets } from '../util/known-secrets.js';
import type { RescueSystem } from '../ports/rescue-system.js';
import { directoryCommandResolver } from '../image-url/index.js';
import { VerifiedServers, WaitBook } from '../provisioning/index.js';
import { addHCloudMachineController, HcloudApiMetrics } from '../reconcilers/hcloud-machine/index.js';
import {
  addHetznerBareMetalHostController,
  RobotApiMetrics,
} from '../reconcilers/hetzner-bare-metal-host/index.js';
import { addHetznerBareMetalMachineController } from '../reconcilers/hetzner-bare-metal-machine/index.js';
import { addHetznerClusterController } from '../reconcilers/hetzner-cluster/index.js';
import { addHCloudRemediationController } from '../reconcilers/hcloud-remediation/index.js';
import { createSshRescueSystem, SshHostKeyWatch, TcpBannerWatch } from '../rescue/index.js';
import { CertificateFilesError, startWebhookServer, type WebhookServer } from '../webhooks/server/index.js';
import type { ControllerSettings, ControllerWebhook } from './controller-settings.js';
import { resolveControllerUsername } from './controller-username.js';
import { hetznerClients } from './hetzner-clients.js';
import { reportStartup } from './startup-report.js';

interface ImageUrlDependencies {
  readonly client: Runtime['client'];
  readonly rescue: RescueSystem;
  readonly commands: ReturnType<typeof directoryCommandResolver>;
  readonly clock: Clock;
  readonly registryToken?: string;
  readonly registryTokenHosts?: readonly string[];
  readonly knownSecrets: KnownSecrets;
}

/** The admission webhooks, logging through the runtime's logger; rejects naming the flag at fault. */
async function startWebhook(
  webhook: ControllerWebhook,
  runtime: Runtime,
  signal: AbortSignal,
): Promise<WebhookServer> {
  const { log } = runtime;
  const controllerUsername = await resolveControllerUsername(
    webhook.controllerUsername,
    runtime.client,
    signal,
  );
  try {
    return await startWebhookServer({
      kinds: webhook.kinds,
      certDir: webhook.certDir,
      port: webhook.port,
      controllerUsername,
      ...(webhook.host === undefined ? {} : { host: webhook.host }),
      log: (message, fields = {}, level = 'info') => log[level](fields, message),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const flag = error instanceof CertificateFilesError ? '--webhook-cert-dir' : '--webhook-port';
    throw new Error(`${flag}: ${reason}`, { cause: error });
  }
}

/** The controllers on one runtime: HCloudMachine provisioning, HetznerCluster checks, bare-metal machines and hosts. */
function addControllers(
  runtime: Runtime,
  settings: ControllerSettings,
  concurrency: number,
  knownSecrets: KnownSecrets,
): void {
  const { cloudFor, rebootsFor, sshKeysFor, infraFor, robotFor } = hetznerClients({
    hcloudEndpoint: settings.hcloudEndpoint,
    robotEndpoint: settings.robotEndpoint,
    cloudObserver: new HcloudApiMetrics(runtime.metrics.registry),
    robotObserver: new RobotApiMetrics(runtime.metrics.registry),
  });
  const clock = systemClock();
  // What both image-url machines are handed: the rescue system, the commands, the registry token.
  const imageUrl = (): ImageUrlDependencies => ({
    client: runtime.client,
    rescue: createSshRescueSystem(),
    commands: directoryCommandResolver(settings.commandsDir),
    clock,
    knownSecrets,
    ...(settings.registryToken ? { registryToken: settings.registryToken } : {}),
    ...(settings.registryTokenHosts ? { registryTokenHosts: settings.registryTokenHosts } : {}),
  });
  const workers = (kind: keyof NonNullable<ControllerSettings['concurrency']>): { workers: number } => ({
    workers: settings.concurrency?.[kind] ?? concurrency,
  });
  addHCloudMachineController(
    runtime,
    {
      ...imageUrl(),
      cloudFor,
      loadBalancersFor: (token) => infraFor(token).loadBalancers,
      verifiedServers: new VerifiedServers(),
      waits: new WaitBook(),
      banners: new TcpBannerWatch(),
      hostKeys: new SshHostKeyWatch(),
      ...(settings.provisioning ? { settings: settings.provisioning } : {}),
    },
    workers('hcloudMachine'),
  );
  addHetznerClusterController(
    runtime,
    { client: runtime.client, sshKeysFor, infraFor, clock, knownSecrets },
    workers('hetznerCluster'),
  );
  addHCloudRemediationController(runtime, { client: runtime.client, rebootsFor, clock, knownSecrets });
  addHetznerBareMetalMachineController(
    runtime,
    { client: runtime.client, clock },
    workers('hetznerBareMetalMachine'),
  );
  addHetznerBareMetalHostController(
    runtime,
    { ...imageUrl(), robotFor, ...(settings.bareMetal ? { settings: settings.bareMetal } : {}) },
    workers('hetznerBareMetalHost'),
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
  // One redactor for logs and events: every Secret value the controllers read, and the registry token.
  const knownSecrets = new KnownSecrets();
  knownSecrets.add(settings.registryToken);
  const callerRedact = deps.redact ?? ((text: string): string => text);
  const runtime = createRuntime(options, {
    ...deps,
    redact: (text) => knownSecrets.redact(callerRedact(text)),
  });
  addControllers(runtime, settings, options.concurrency, knownSecrets);
  await reportStartup(runtime, options, settings);
  if (settings.registryToken && settings.registryTokenHosts === undefined) {
    runtime.log.warn(
      'OCI_REGISTRY_AUTH_TOKEN goes to every image-url-command, whatever registry its imageURL names; bind it with --registry-token-hosts',
    );
  }
  let webhook: WebhookServer | undefined;
  try {
    if (settings.webhook) webhook = await startWebhook(settings.webhook, runtime, signal);
    await runtime.manager.run(signal);
  } finally {
    if (webhook) {
      runtime.log.info('Stopping admission webhooks');
      await webhook.close();
    }
    runtime.transport.close();
  }
}
