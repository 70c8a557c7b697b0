import type { Taint } from './kubeadm-config.js';
import type { KubeRest } from './kube-rest.js';

export interface KubeletOptions {
  /** Acts with the node's own credentials (system:node:<name>), as a kubelet does. */
  readonly client: KubeRest;
  readonly nodeName: string;
  readonly hostname: string;
  readonly address: string;
  readonly taints: readonly Taint[];
  readonly providerID: string | undefined;
  readonly kubeletVersion: string;
  readonly leaseRenewMs: number;
  readonly leaseDurationSeconds: number;
  readonly onError: (error: unknown) => void;
}

const leasePath = '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases';

/** RFC 3339 with microseconds, the format of a Lease's MicroTime fields. */
function microTime(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * What a kubelet does at the API with no pods to run: registers its Node (labels, taints and
 * providerID from its flags), reports it Ready with its addresses, and renews its Lease in
 * kube-node-lease until stopped. After stop() the lease lapses and kube-controller-manager's
 * node lifecycle turns the Node's Ready to Unknown, as for a server that lost power.
 */
export class KubeletStandIn {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private renewing: Promise<void> = Promise.resolve();

  private constructor(private readonly options: KubeletOptions) {}

  static async start(options: KubeletOptions): Promise<KubeletStandIn> {
    const kubelet = new KubeletStandIn(options);
    const uid = await kubelet.register();
    await kubelet.reportStatus();
    await kubelet.createLease(uid);
    kubelet.schedule();
    return kubelet;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.renewing;
  }

  private async register(): Promise<string> {
    const { client, nodeName, hostname, taints, providerID } = this.options;
    const node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: nodeName,
        labels: {
          'kubernetes.io/hostname': hostname,
          'kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'beta.kubernetes.io/arch': 'amd64',
        },
      },
      spec: { taints, ...(providerID === undefined ? {} : { providerID }) },
    };
    const created = await client.expect(
      client.post('/api/v1/nodes', node),
      `register Node ${nodeName}`,
      [409],
    );
    // Registered before (a reboot): the kubelet takes the existing Node over.
    const current =
      created.status === 409
        ? await client.expect(client.get(`/api/v1/nodes/${nodeName}`), 'get Node')
        : created;
    return (current.body.metadata as { uid: string }).uid;
  }

  private async reportStatus(): Promise<void> {
    const { client, nodeName, address, hostname } = this.options;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const condition = (
      type: string,
      status: string,
      reason: string,
      message: string,
    ): Record<string, string> => ({
      type,
      status,
      reason,
      message,
      lastHeartbeatTime: now,
      lastTransitionTime: now,
    });
    await client.expect(
      client.patch(`/api/v1/nodes/${nodeName}/status`, {
        status: {
          conditions: [
            condition(
              'MemoryPressure',
              'False',
              'KubeletHasSufficientMemory',
              'kubelet has sufficient memory available',
            ),
            condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
            condition(
              'PIDPressure',
              'False',
              'KubeletHasSufficientPID',
              'kubelet has sufficient PID available',
            ),
            condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
          ],
          addresses: [
            { type: 'InternalIP', address },
            { type: 'Hostname', address: hostname },
          ],
          capacity: { cpu: '2', memory: '4005076Ki', pods: '110', 'ephemeral-storage': '40000000Ki' },
          allocatable: { cpu: '2', memory: '3902676Ki', pods: '110', 'ephemeral-storage': '36864000Ki' },
          nodeInfo: {
            kubeletVersion: this.options.kubeletVersion,
            kubeProxyVersion: '',
            operatingSystem: 'linux',
            architecture: 'amd64',
            osImage: 'imageurl simulated OS',
            kernelVersion: '',
            containerRuntimeVersion: '',
            machineID: '',
            systemUUID: '',
            bootID: '',
          },
        },
      }),
      `report Node ${nodeName} status`,
    );
  }

  private async createLease(nodeUid: string): Promise<void> {
    const { client, nodeName, leaseDurationSeconds } = this.options;
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: nodeName,
        namespace: 'kube-node-lease',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid }],
      },
      spec: { holderIdentity: nodeName, leaseDurationSeconds, renewTime: microTime() },
    };
    const created = await client.expect(client.post(leasePath, lease), `create Lease ${nodeName}`, [409]);
    if (created.status === 409) await this.renew();
  }

  private async renew(): Promise<void> {
    const { client, nodeName } = this.options;
    await client.expect(
      client.patch(
        `${leasePath}/${nodeName}`,
        { spec: { renewTime: microTime() } },
        'application/merge-patch+json',
      ),
      `renew Lease ${nodeName}`,
    );
  }

  /** Renews on a timer; a failed renewal (the apiserver away for a moment) is retried next time. */
  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.renewing = this.renew()
        .catch((error: unknown) => {
          if (!this.stopped) this.options.onError(error);
        })
        .finally(() => this.schedule());
    }, this.options.leaseRenewMs);
  }
}
