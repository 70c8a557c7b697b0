import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { KubeConfig } from '@kubernetes/client-node';
import { ProcessGroup } from '../process/process-group.js';
import {
  findClusterApiCrds,
  findControlPlaneBinaries,
  type AssetLookupOptions,
  type ControlPlaneBinaries,
} from './assets.js';
import type { ConversionWebhookEndpoint } from './crd-conversion.js';
import { installCrds } from './crds.js';
import { startEtcd, type RunningEtcd } from './etcd.js';
import { startKubeApiserver, type KubeApiserverAudit, type RunningKubeApiserver } from './kube-apiserver.js';
import { writeKubeconfig } from './kubeconfig.js';
import { createControlPlanePki } from './pki.js';
import { startTimeoutMs } from './start-timeout.js';

export interface ControlPlaneOptions {
  /** CRD manifests (files, or folders of *.yaml) to install after start. */
  readonly crdPaths?: readonly string[];
  /**
   * The webhook server converting between the versions of those CRDs; without it a CRD whose
   * conversion webhook names a Service serves only its storage version.
   */
  readonly conversionWebhook?: ConversionWebhookEndpoint;
  /** Install Cluster API's CRDs (default true); see findClusterApiCrds. */
  readonly installClusterApiCrds?: boolean;
  /** Per-process readiness deadline; default KUBEBUILDER_CONTROLPLANE_START_TIMEOUT or 60 s. */
  readonly startTimeoutMs?: number;
  /** Environment for asset lookup (TEST_ASSET_*, KUBEBUILDER_ASSETS, IMAGEURL_CAPI_CRDS). */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the control plane's temporary folder is created; default the OS temp dir. */
  readonly tmpRoot?: string;
  /**
   * kube-apiserver's audit log (e.g. to see which requests a client made and which were
   * denied); the log lives where the caller says, so it outlives stop().
   */
  readonly audit?: KubeApiserverAudit;
}

/** Milliseconds from start() until each milestone. */
export interface ControlPlaneTimings {
  readonly etcdReadyMs: number;
  readonly apiserverReadyMs: number;
  /** Everything, CRDs Established included. */
  readonly readyMs: number;
}

interface Started {
  readonly binaries: ControlPlaneBinaries;
  readonly dir: string;
  readonly etcd: RunningEtcd;
  readonly apiserver: RunningKubeApiserver;
  readonly kubeconfigPath: string;
  readonly timings: ControlPlaneTimings;
  readonly crds: readonly string[];
}

/**
 * A real kube-apiserver backed by etcd on loopback, for tests (one per test file: start in
 * `before`, stop in `after`) and for `imageurl demo`. Authenticates its admin with a client
 * certificate in system:masters; everything lives in one temporary folder removed by stop().
 * Note: kube-apiserver delays a create by 2 s while its CRD became Established < 2 s ago
 * (apiextensions customresource_handler.go), so a test's very first create may take that long.
 */
export class KubeControlPlane {
  private group: ProcessGroup | undefined;
  private dir: string | undefined;
  private started: Started | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly options: ControlPlaneOptions = {}) {}

  /** Starts etcd and kube-apiserver, writes the kubeconfig and installs the CRDs. On failure nothing is left running. */
  async start(): Promise<this> {
    if (this.starting || this.stopping) throw new Error('a KubeControlPlane can be started only once');
    this.starting = this.run();
    try {
      await this.starting;
    } catch (error) {
      await this.stop();
      throw error;
    }
    return this;
  }

  /** Stops kube-apiserver, then etcd, and removes the temporary folder. Safe to call twice, or after a failed start. */
  async stop(): Promise<void> {
    this.stopping ??= (async (): Promise<void> => {
      await this.starting?.catch(() => undefined);
      await this.cleanUp();
    })();
    return this.stopping;
  }

  get server(): string {
    return this.require().apiserver.server;
  }

  /** A kubeconfig with the CA and the admin's client certificate embedded. */
  get kubeconfigPath(): string {
    return this.require().kubeconfigPath;
  }

  /** The temporary folder holding etcd's data, the PKI and the kubeconfig. */
  get tempDir(): string {
    return this.require().dir;
  }

  get timings(): ControlPlaneTimings {
    return this.require().timings;
  }

  /** Names of the CRDs installed at start. */
  get crds(): readonly string[] {
    return this.require().crds;
  }

  get pids(): { readonly etcd: number | undefined; readonly kubeApiserver: number | undefined } {
    const started = this.require();
    return { etcd: started.etcd.process.pid, kubeApiserver: started.apiserver.process.pid };
  }

  /** The binaries this control plane runs (and kubectl when found, for tools that want it). */
  get binaries(): ControlPlaneBinaries {
    return this.require().binaries;
  }

  /** A fresh client-node KubeConfig loaded from kubeconfigPath. */
  kubeConfig(): KubeConfig {
    const config = new KubeConfig();
    config.loadFromFile(this.kubeconfigPath);
    return config;
  }

  /** Installs (or replaces) CRDs and waits until they are Established; conversion as in installCrds. */
  async installCrds(
    paths: readonly string[],
    conversionWebhook?: ConversionWebhookEndpoint,
  ): Promise<string[]> {
    return installCrds(this.kubeConfig(), paths, {
      deadlineMs: this.deadlineMs(),
      ...(conversionWebhook ? { conversionWebhook } : {}),
    });
  }

  private lookup = (): AssetLookupOptions => (this.options.env ? { env: this.options.env } : {});
  private deadlineMs = (): number => this.options.startTimeoutMs ?? startTimeoutMs(this.options.env);

  private require(): Started {
    if (!this.started) throw new Error('the control plane is not running (call start() first)');
    return this.started;
  }

  private async run(): Promise<void> {
    const began = performance.now();
    const binaries = findControlPlaneBinaries(this.lookup());
    const crdPaths = [
      ...(this.options.installClusterApiCrds === false ? [] : [findClusterApiCrds(this.lookup())]),
      ...(this.options.crdPaths ?? []),
    ];
    const deadlineMs = this.deadlineMs();
    const dir = await mkdtemp(join(this.options.tmpRoot ?? tmpdir(), 'imageurl-kube-'));
    this.dir = dir;
    const group = (this.group = new ProcessGroup());
    // If our process exits without stop() (a crash), the group kills the processes and the folder goes too.
    group.addExitHook(() => rmSync(dir, { recursive: true, force: true }));
    const pki = await createControlPlanePki(join(dir, 'pki'));
    const etcd = await startEtcd(group, { binary: binaries.etcd, dataDir: join(dir, 'etcd'), deadlineMs });
    const etcdReadyMs = performance.now() - began;
    const apiserverOptions = {
      binary: binaries.kubeApiserver,
      etcdUrl: etcd.url,
      pki,
      deadlineMs,
      ...(this.options.audit ? { audit: this.options.audit } : {}),
    };
    const apiserver = await startKubeApiserver(group, { ...apiserverOptions, certDir: join(dir, 'pki') });
    const apiserverReadyMs = performance.now() - began;
    const kubeconfigPath = await writeKubeconfig(join(dir, 'kubeconfig'), {
      name: 'imageurl',
      server: apiserver.server,
      caPem: pki.servingCaPem,
      clientCertPem: pki.adminCertPem,
      clientKeyPem: pki.adminKeyPem,
    });
    const config = new KubeConfig();
    config.loadFromFile(kubeconfigPath);
    const { conversionWebhook } = this.options;
    const crds =
      crdPaths.length > 0
        ? await installCrds(config, crdPaths, {
            deadlineMs,
            ...(conversionWebhook ? { conversionWebhook } : {}),
          })
        : [];
    const timings = { etcdReadyMs, apiserverReadyMs, readyMs: performance.now() - began };
    this.started = { binaries, dir, etcd, apiserver, kubeconfigPath, timings, crds };
  }

  private async cleanUp(): Promise<void> {
    this.started = undefined;
    const group = this.group;
    this.group = undefined;
    await group?.stopAll();
    const dir = this.dir;
    this.dir = undefined;
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}

/** Starts a control plane (see KubeControlPlane); on failure everything started is stopped and removed. */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<KubeControlPlane> {
  return new KubeControlPlane(options).start();
}
