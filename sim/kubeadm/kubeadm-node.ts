import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { kubeconfigYaml } from '../kube-control-plane/kubeconfig.js';
import type { OsBootContext, RunningOsServices } from '../machine/os-services.js';
import { ProcessGroup } from '../process/process-group.js';
import type { KubeadmCloudConfig } from './cloud-config.js';
import { CloudNodeController } from './cloud-node-controller.js';
import { issue, type IssuedPair } from './cluster-pki.js';
import { clusterAuthority, CLOUD_CONTROLLER_USER, hostPortText, initControlPlane } from './init-node.js';
import type { KubeadmPlan } from './kubeadm-config.js';
import { KubeletStandIn } from './kubelet-stand-in.js';
import { KubeRest } from './kube-rest.js';
import { writeNodeFile } from './node-files.js';
import { joinCluster } from './node-join.js';
import { nodeNameFor, registrationTaints } from './node-registration.js';
import type { ResolvedWorkloadSettings, WorkloadSettings } from './workload-settings.js';

/**
 * One node's kubeadm + kubelet (+ on the first control plane, the cluster's control plane and
 * cloud controller) while its OS runs. Starts at once; stop() ends everything it started.
 */
export class KubeadmNode implements RunningOsServices {
  private readonly abort = new AbortController();
  private readonly group = new ProcessGroup();
  private readonly running: Promise<void>;
  private kubelet: KubeletStandIn | undefined;
  private cloudController: CloudNodeController | undefined;
  private failure: unknown;

  constructor(
    private readonly context: OsBootContext,
    private readonly config: KubeadmCloudConfig,
    private readonly plan: KubeadmPlan,
    private readonly settings: ResolvedWorkloadSettings,
  ) {
    this.running = this.run().catch((error: unknown) => {
      this.failure = error;
      if (!this.abort.signal.aborted) this.log(`kubeadm ${plan.command} failed: ${String(error)}`);
    });
  }

  /** How kubeadm ended so far: undefined while it runs or after success. */
  get error(): unknown {
    return this.failure;
  }

  /** Resolves when kubeadm and the kubelet's registration are done (or failed). */
  get settled(): Promise<void> {
    return this.running;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    // The power is gone: nothing shuts down gracefully.
    await this.group.stopAll({ graceMs: 0 });
    await this.running;
    await this.kubelet?.stop();
    await this.cloudController?.stop();
    await this.group.stopAll({ graceMs: 0 });
    // this.dir is the node's disk: it stays for the next boot and goes with the server.
  }

  private get dir(): string {
    return join(this.context.stateDir, 'kubeadm');
  }

  private log(line: string): void {
    this.settings.onLog(`${this.context.hostname}: ${line}`);
  }

  private async writeFile(path: string, content: string | Buffer, permissions?: string): Promise<void> {
    const root = this.context.systemRoot;
    if (root !== undefined && !(await writeNodeFile(root, path, content, permissions)))
      this.log(`not written (outside the system's own folders): ${path}`);
  }

  private async run(): Promise<void> {
    const { plan, config, settings } = this;
    const signal = this.abort.signal;
    for (const file of config.files) await this.writeFile(file.path, file.content, file.permissions);
    const nodeName = nodeNameFor(this.plan.registration, this.context);
    const controlPlane = plan.command === 'init' || plan.controlPlane;
    let server: string;
    let caPem: string;
    let nodeCredentials: IssuedPair;
    let superAdmin: IssuedPair | undefined;
    if (plan.command === 'init') {
      const cluster = await initControlPlane({
        plan,
        config,
        nodeName,
        address: this.context.address,
        group: this.group,
        dir: this.dir,
        nodeMonitorGracePeriodSeconds: settings.nodeMonitorGracePeriodSeconds,
        deadlineMs: settings.deadlineMs,
        log: (line) => {
          if (!signal.aborted) this.log(line);
        },
        ...(settings.assets ? { assets: settings.assets } : {}),
      });
      ({ server, caPem, superAdmin } = cluster);
      // kubeadm writes the control plane's kubelet.conf itself, signed by the cluster CA.
      nodeCredentials = await issue(cluster.authority, {
        subject: `CN=system:node:${nodeName}, O=system:nodes`,
        usage: 'client',
      });
      this.log(`control plane up at ${server}`);
      if (settings.cloudLookup)
        this.startCloudController(cluster.authority, server, caPem, settings.cloudLookup);
    } else {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const log = (line: string): void => this.log(line);
      const joined = await joinCluster({ plan, config, nodeName, dir: this.dir, ...settings, signal, log });
      ({ server, caPem, nodeCredentials, superAdmin } = joined);
    }
    if (signal.aborted) return;
    const args = plan.registration.kubeletExtraArgs;
    this.kubelet = await KubeletStandIn.start({
      client: new KubeRest({ server, trust: { caPem }, credentials: nodeCredentials }),
      nodeName,
      hostname: nodeName,
      address: this.context.address,
      taints: registrationTaints(this.plan.registration, controlPlane),
      providerID: args['provider-id'],
      kubeletVersion: settings.kubeletVersion,
      leaseRenewMs: settings.leaseRenewMs,
      leaseDurationSeconds: settings.leaseDurationSeconds,
      onError: (error) => this.log(`kubelet: ${String(error)}`),
    });
    this.log(`node ${nodeName} registered`);
    if (superAdmin !== undefined) await this.markControlPlane(server, caPem, superAdmin, nodeName);
    await this.writeFile('/run/cluster-api/bootstrap-success.complete', 'success\n');
  }

  /** kubeadm's mark-control-plane phase and the admin.conf it leaves on the node. */
  private async markControlPlane(
    server: string,
    caPem: string,
    admin: IssuedPair,
    nodeName: string,
  ): Promise<void> {
    const client = new KubeRest({ server, trust: { caPem }, credentials: admin });
    const labels = {
      'node-role.kubernetes.io/control-plane': '',
      'node.kubernetes.io/exclude-from-external-load-balancers': '',
    };
    await client.expect(
      client.patch(`/api/v1/nodes/${nodeName}`, { metadata: { labels } }),
      'label the control plane',
    );
    const authority = await clusterAuthority(this.config);
    const clusterAdmin = await issue(authority, {
      subject: 'CN=kubernetes-admin, O=kubeadm:cluster-admins',
      usage: 'client',
    });
    const endpoint =
      this.plan.command === 'init' && this.plan.controlPlaneEndpoint
        ? `https://${hostPortText(this.plan.controlPlaneEndpoint.host, this.plan.controlPlaneEndpoint.port)}`
        : server;
    const kubeconfig = kubeconfigYaml({
      name: 'kubernetes',
      server: endpoint,
      caPem,
      clientCertPem: clusterAdmin.certPem,
      clientKeyPem: clusterAdmin.keyPem,
    });
    await this.writeFile('/etc/kubernetes/admin.conf', kubeconfig, '0600');
  }

  private startCloudController(
    authority: Parameters<typeof issue>[0],
    server: string,
    caPem: string,
    lookup: NonNullable<WorkloadSettings['cloudLookup']>,
  ): void {
    const issued = issue(authority, { subject: `CN=${CLOUD_CONTROLLER_USER}`, usage: 'client' });
    void issued.then(
      (credentials) => {
        if (this.abort.signal.aborted) return;
        this.cloudController = new CloudNodeController({
          client: new KubeRest({ server, trust: { caPem }, credentials }),
          lookup,
          intervalMs: this.settings.cloudControllerIntervalMs,
          onError: (error) => this.log(`cloud controller: ${String(error)}`),
        }).start();
      },
      (error: unknown) => this.log(`cloud controller: ${String(error)}`),
    );
  }
}
