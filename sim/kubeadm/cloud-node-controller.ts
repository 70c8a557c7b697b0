import type { KubeRest } from './kube-rest.js';

/** The taint a kubelet with `cloud-provider: external` registers with, until a cloud controller initialises the node. */
export const UNINITIALIZED_TAINT = 'node.cloudprovider.kubernetes.io/uninitialized';

export interface CloudInstance {
  readonly providerID: string;
  readonly addresses: readonly { readonly type: string; readonly address: string }[];
}

/** Finds the server behind a node by the node's name, as hcloud-cloud-controller-manager does. */
export type InstanceLookup = (nodeName: string) => Promise<CloudInstance | undefined>;

export interface CloudNodeControllerOptions {
  /** Credentials of the cloud controller (cluster-admin, as hcloud's manifest binds it). */
  readonly client: KubeRest;
  readonly lookup: InstanceLookup;
  readonly intervalMs: number;
  readonly onError: (error: unknown) => void;
}

/**
 * The node controller of a cloud-controller-manager: every Node still carrying the
 * uninitialized taint is looked up at the cloud by its name; when found, it gets its providerID
 * and addresses and loses the taint. Nodes the cloud does not know stay tainted (and are
 * retried), as with the real controller.
 */
export class CloudNodeController {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  constructor(private readonly options: CloudNodeControllerOptions) {}

  start(): this {
    this.tick();
    return this;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.stopped) return;
    this.running = this.initialiseAll()
      .catch((error: unknown) => {
        if (!this.stopped) this.options.onError(error);
      })
      .finally(() => {
        if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.options.intervalMs);
      });
  }

  private async initialiseAll(): Promise<void> {
    const { client } = this.options;
    const list = await client.expect(client.get('/api/v1/nodes'), 'list Nodes');
    const nodes = (list.body.items ?? []) as NodeObject[];
    for (const node of nodes) {
      if (this.stopped) return;
      if (!(node.spec?.taints ?? []).some((taint) => taint.key === UNINITIALIZED_TAINT)) continue;
      const instance = await this.options.lookup(node.metadata.name);
      if (instance !== undefined) await this.initialise(node, instance);
    }
  }

  private async initialise(node: NodeObject, instance: CloudInstance): Promise<void> {
    const { client } = this.options;
    const path = `/api/v1/nodes/${node.metadata.name}`;
    const taints = (node.spec?.taints ?? []).filter((taint) => taint.key !== UNINITIALIZED_TAINT);
    await client.expect(
      client.patch(
        path,
        {
          metadata: { resourceVersion: node.metadata.resourceVersion },
          spec: { taints, ...(node.spec?.providerID ? {} : { providerID: instance.providerID }) },
        },
        'application/merge-patch+json',
      ),
      `initialise Node ${node.metadata.name}`,
    );
    await client.expect(
      client.patch(
        `${path}/status`,
        { status: { addresses: instance.addresses } },
        'application/merge-patch+json',
      ),
      `set Node ${node.metadata.name} addresses`,
    );
  }
}

interface NodeObject {
  readonly metadata: { readonly name: string; readonly resourceVersion: string };
  readonly spec?: { readonly taints?: { readonly key: string }[]; readonly providerID?: string };
}

/** Looks servers up in a Hetzner Cloud API by name: `hcloud://<id>`, its public and private addresses. */
export function hcloudLookup(endpoint: () => string, token: string): InstanceLookup {
  return async (nodeName) => {
    const url = `${endpoint()}/servers?name=${encodeURIComponent(nodeName)}`;
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`GET ${url.replace(/\?.*/, '')}: HTTP ${response.status}`);
    const body = (await response.json()) as { servers?: HcloudServer[] };
    const server = body.servers?.[0];
    if (server === undefined) return undefined;
    return {
      providerID: `hcloud://${server.id}`,
      addresses: [
        { type: 'Hostname', address: server.name },
        ...(server.public_net.ipv4 ? [{ type: 'ExternalIP', address: server.public_net.ipv4.ip }] : []),
        ...server.private_net.map((net) => ({ type: 'InternalIP', address: net.ip })),
      ],
    };
  };
}

interface HcloudServer {
  readonly id: number;
  readonly name: string;
  readonly public_net: { readonly ipv4: { readonly ip: string } | null };
  readonly private_net: readonly { readonly ip: string }[];
}
