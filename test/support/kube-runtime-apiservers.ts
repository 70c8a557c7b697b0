import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { findControlPlaneBinaries, installCrds } from '../../sim/kube-control-plane/index.js';
import { startEtcd, type RunningEtcd } from '../../sim/kube-control-plane/etcd.js';
import { kubeApiserverArgs } from '../../sim/kube-control-plane/kube-apiserver.js';
import { kubeconfigYaml } from '../../sim/kube-control-plane/kubeconfig.js';
import { createControlPlanePki, type ControlPlanePki } from '../../sim/kube-control-plane/pki.js';
import { httpGetStatus, waitUntilReady } from '../../sim/kube-control-plane/readiness.js';
import { startTimeoutMs } from '../../sim/kube-control-plane/start-timeout.js';
import { freePort } from '../../sim/process/free-port.js';
import { ProcessGroup } from '../../sim/process/process-group.js';
import type { SupervisedProcess } from '../../sim/process/supervised-process.js';

export type ApiserverName = 'a' | 'b';

interface Apiserver {
  readonly port: number;
  member: SupervisedProcess | undefined;
}

/**
 * etcd with two kube-apiservers on it, so one apiserver can be stopped and started again on
 * the same port while the other keeps serving writes (as in an HA control plane). The shared
 * KubeControlPlane cannot restart its apiserver (see the report of issue 6), hence this
 * harness, built from the same sim parts. Everything runs in one ProcessGroup.
 */
interface Parts {
  readonly group: ProcessGroup;
  readonly dir: string;
  readonly pki: ControlPlanePki;
  readonly etcd: RunningEtcd;
  readonly binary: string;
}

export class TwoApiservers {
  private readonly servers = new Map<ApiserverName, Apiserver>();

  private constructor(private readonly parts: Parts) {}

  /** Starts etcd and both apiservers, and installs `crdPaths` through apiserver b. */
  static async start(crdPaths: readonly string[]): Promise<TwoApiservers> {
    const dir = await mkdtemp(join(tmpdir(), 'imageurl-two-apiservers-'));
    const group = new ProcessGroup();
    try {
      const binaries = findControlPlaneBinaries();
      const pki = await createControlPlanePki(join(dir, 'pki'));
      const etcd = await startEtcd(group, {
        binary: binaries.etcd,
        dataDir: join(dir, 'etcd'),
        deadlineMs: startTimeoutMs(),
      });
      const started = new TwoApiservers({ group, dir, pki, etcd, binary: binaries.kubeApiserver });
      for (const name of ['a', 'b'] as const) {
        started.servers.set(name, { port: await freePort(), member: undefined });
        await started.startApiserver(name);
      }
      await installCrds(started.kubeConfig('b'), crdPaths);
      return started;
    } catch (error) {
      await group.stopAll();
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  server(name: ApiserverName): string {
    return `https://127.0.0.1:${this.require(name).port}`;
  }

  /** A kubeconfig for `name`, or for any other URL that reaches it (a proxy in front). */
  kubeConfig(name: ApiserverName, server = this.server(name)): KubeConfig {
    const config = new KubeConfig();
    config.loadFromString(
      kubeconfigYaml({
        name: `imageurl-${name}`,
        server,
        caPem: this.parts.pki.servingCaPem,
        clientCertPem: this.parts.pki.adminCertPem,
        clientKeyPem: this.parts.pki.adminKeyPem,
      }),
    );
    return config;
  }

  async stopApiserver(name: ApiserverName): Promise<void> {
    const server = this.require(name);
    if (server.member) await this.parts.group.stopMember(server.member);
    server.member = undefined;
  }

  /** Starts `name` (again) on its port and waits until its /readyz answers 200. */
  async startApiserver(name: ApiserverName): Promise<void> {
    const server = this.require(name);
    const options = {
      binary: this.parts.binary,
      etcdUrl: this.parts.etcd.url,
      pki: this.parts.pki,
      certDir: join(this.parts.dir, 'pki'),
      deadlineMs: startTimeoutMs(),
    };
    const member = this.parts.group.start({
      name: `kube-apiserver-${name}`,
      command: this.parts.binary,
      args: kubeApiserverArgs(options, server.port),
    });
    server.member = member;
    const tls = {
      ca: this.parts.pki.servingCaPem,
      cert: this.parts.pki.adminCertPem,
      key: this.parts.pki.adminKeyPem,
    };
    await waitUntilReady(
      member,
      async () => (await httpGetStatus(`${this.server(name)}/readyz`, tls)) === 200,
      {
        deadlineMs: options.deadlineMs,
        description: `kube-apiserver ${name} to answer /readyz with 200`,
      },
    );
  }

  async stop(): Promise<void> {
    await this.parts.group.stopAll();
    await rm(this.parts.dir, { recursive: true, force: true });
  }

  private require(name: ApiserverName): Apiserver {
    const server = this.servers.get(name);
    if (!server) throw new Error(`no apiserver ${name}`);
    return server;
  }
}
