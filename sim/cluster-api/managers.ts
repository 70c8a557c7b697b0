import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { freePort } from '../process/free-port.js';
import { ProcessGroup } from '../process/process-group.js';
import type { SupervisedProcess } from '../process/supervised-process.js';
import { httpGetStatus, retryOnPortCollision, waitUntilReady } from '../kube-control-plane/readiness.js';
import { createWebhookCa, writeCertDir, type WebhookCa } from '../webhook/webhook-pki.js';
import { servedComponents } from './components.js';
import { installServedComponents } from './install-components.js';
import { findClusterApiManagers, type ManagerAssets, type ManagerName } from './manager-assets.js';
import { waitUntilWebhooksServe } from './webhook-probes.js';

export interface ClusterApiManagersOptions {
  /** The management cluster's kubeconfig (a file, as the managers take it) and the same as a client config. */
  readonly kubeconfigPath: string;
  readonly kubeConfig: KubeConfig;
  /** Holds each manager's log (`<name>.log`), certificates and scratch files; the caller removes it. */
  readonly workDir: string;
  /** Per-manager readiness deadline. */
  readonly deadlineMs?: number;
  /** Environment for asset lookup (IMAGEURL_CLUSTERCTL_DIR). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface RunningManager {
  readonly name: ManagerName;
  readonly process: SupervisedProcess;
  readonly logFile: string;
  /** `https://127.0.0.1:<port>`: its webhook server. */
  readonly webhookUrl: string;
}

const HOST = '127.0.0.1';

/** Flags as the components' Deployment has them, with ports and files of this machine. */
export function managerArgs(
  kubeconfigPath: string,
  ports: { readonly webhook: number; readonly health: number; readonly diagnostics: number },
  certDir: string,
): string[] {
  return [
    `--kubeconfig=${kubeconfigPath}`,
    '--leader-elect=false',
    `--diagnostics-address=${HOST}:${ports.diagnostics}`,
    '--insecure-diagnostics=true',
    `--health-addr=${HOST}:${ports.health}`,
    `--webhook-port=${ports.webhook}`,
    `--webhook-cert-dir=${certDir}`,
  ];
}

async function startOne(
  group: ProcessGroup,
  assets: ManagerAssets,
  options: ClusterApiManagersOptions & { readonly ca: WebhookCa; readonly deadlineMs: number },
): Promise<RunningManager> {
  const certDir = join(options.workDir, assets.name, 'certs');
  await writeCertDir(certDir, await options.ca.issue());
  const logFile = join(options.workDir, `${assets.name}.log`);
  return retryOnPortCollision(async () => {
    const ports = { webhook: await freePort(), health: await freePort(), diagnostics: await freePort() };
    const member = group.start({
      name: `${assets.name} manager`,
      command: assets.binary,
      args: managerArgs(options.kubeconfigPath, ports, certDir),
      logFile,
    });
    try {
      // /readyz includes the webhook server's check: 200 means it serves.
      await waitUntilReady(
        member,
        async () => (await httpGetStatus(`http://${HOST}:${ports.health}/readyz`)) === 200,
        {
          deadlineMs: options.deadlineMs,
          description: `${assets.name} manager to answer /readyz with 200`,
        },
      );
    } catch (error) {
      await group.stopMember(member);
      throw error;
    }
    return { name: assets.name, process: member, logFile, webhookUrl: `https://${HOST}:${ports.webhook}` };
  });
}

/**
 * Cluster API's core, kubeadm bootstrap and kubeadm control-plane managers as processes against
 * a management cluster, their webhooks (conversion and admission) served for real: their CRDs and
 * webhook configurations are installed pointing at each manager's webhook server.
 */
export class ClusterApiManagers {
  private readonly group = new ProcessGroup();
  private running: RunningManager[] = [];

  constructor(private readonly options: ClusterApiManagersOptions) {}

  get managers(): readonly RunningManager[] {
    return this.running;
  }

  /** Starts the three, installs their components and waits until their webhooks are called. On failure everything is stopped. */
  async start(): Promise<this> {
    const { options } = this;
    const assets = findClusterApiManagers(options.env ? { env: options.env } : {});
    const deadlineMs = options.deadlineMs ?? 120_000;
    const ca = await createWebhookCa('imageurl-cluster-api-webhooks');
    try {
      const started = await Promise.allSettled(
        assets.managers.map((manager) => startOne(this.group, manager, { ...options, ca, deadlineMs })),
      );
      for (const result of started) if (result.status === 'fulfilled') this.running.push(result.value);
      for (const result of started) if (result.status === 'rejected') throw result.reason;
      for (const manager of assets.managers) await this.serve(manager, ca.certPem, deadlineMs);
    } catch (error) {
      await this.stop();
      throw error;
    }
    return this;
  }

  /** Installs the manager's CRDs and webhook configurations pointing at it; waits until they are in force. */
  private async serve(manager: ManagerAssets, caPem: string, deadlineMs: number): Promise<void> {
    const running = this.running.find((candidate) => candidate.name === manager.name);
    if (!running) throw new Error(`the ${manager.name} manager is not running`);
    const components = servedComponents(await readFile(manager.components, 'utf8'), {
      url: running.webhookUrl,
      caPem,
    });
    const scratchDir = join(this.options.workDir, manager.name, 'crds');
    await installServedComponents(this.options.kubeConfig, components, { scratchDir, deadlineMs });
    await waitUntilWebhooksServe(this.options.kubeConfig, manager.name, { deadlineMs });
  }

  /** Stops every manager (SIGTERM, then SIGKILL). Safe to call twice. */
  async stop(): Promise<void> {
    this.running = [];
    await this.group.stopAll({ graceMs: 5_000 });
  }
}

export async function startClusterApiManagers(
  options: ClusterApiManagersOptions,
): Promise<ClusterApiManagers> {
  return new ClusterApiManagers(options).start();
}
