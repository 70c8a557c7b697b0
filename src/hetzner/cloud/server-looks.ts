import type { CloudServer } from '../../ports/cloud-servers.js';

/** CAPH's cluster label on every server of a cluster: `caph-cluster-<cluster>=owned`. */
const CLUSTER_LABEL_PREFIX = 'caph-cluster-';
/** The namespace label this provider adds (cluster names alone collide across namespaces). */
const NAMESPACE_LABEL = 'imageurl.io/namespace';

/**
 * The label selector that lists the servers of this server's cluster, or undefined when its labels
 * name no cluster. Values are the API's own, so they are valid selector values.
 */
export function clusterSelectorOf(labels: Readonly<Record<string, string>>): string | undefined {
  const cluster = Object.keys(labels).find((key) => key.startsWith(CLUSTER_LABEL_PREFIX));
  if (cluster === undefined) return undefined;
  const namespace = labels[NAMESPACE_LABEL];
  const parts = [`${cluster}==${labels[cluster] ?? ''}`];
  if (namespace !== undefined) parts.push(`${NAMESPACE_LABEL}==${namespace}`);
  return parts.join(',');
}

export interface ServerLooksOptions {
  /** One server by id; undefined when there is none. */
  readonly one: (serverId: number) => Promise<CloudServer | undefined>;
  /** Every server matching a label selector. */
  readonly matching: (selector: string) => Promise<readonly CloudServer[]>;
  /** Looks asked for within this window share one request; default 25 ms. */
  readonly windowMs?: number;
}

interface Waiter {
  readonly resolve: (server: CloudServer | undefined) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Server looks of one project, coalesced per cluster: when several machines of one cluster look
 * at their servers within a short window, one `GET /servers?label_selector=…` answers them all.
 * A server's cluster is learnt from its labels in any answer (its create, an earlier look); a
 * server not known yet, alone in its window, or missing from the list (labels changed, deleted)
 * is looked at by id as before.
 */
export class ServerLooks {
  private readonly clusterOf = new Map<number, string>();
  private readonly waiting = new Map<number, Waiter[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: ServerLooksOptions) {}

  /** Remembers which cluster a server belongs to, from an answer that shows its labels. */
  learn(server: CloudServer): void {
    const selector = clusterSelectorOf(server.labels);
    if (selector === undefined) this.clusterOf.delete(server.id);
    else this.clusterOf.set(server.id, selector);
  }

  get(serverId: number): Promise<CloudServer | undefined> {
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(serverId) ?? [];
      list.push({ resolve, reject });
      this.waiting.set(serverId, list);
      this.timer ??= setTimeout(() => void this.flush(), this.options.windowMs ?? 25);
    });
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const asked = new Map(this.waiting);
    this.waiting.clear();
    const byCluster = new Map<string, number[]>();
    const alone: number[] = [];
    for (const serverId of asked.keys()) {
      const selector = this.clusterOf.get(serverId);
      if (selector === undefined) {
        alone.push(serverId);
        continue;
      }
      byCluster.set(selector, [...(byCluster.get(selector) ?? []), serverId]);
    }
    const looks: Promise<void>[] = [];
    for (const [selector, ids] of byCluster) {
      if (ids.length === 1) alone.push(...ids);
      else looks.push(this.lookAtCluster(selector, ids, asked));
    }
    looks.push(...alone.map((serverId) => this.lookAtOne(serverId, asked.get(serverId) ?? [])));
    await Promise.all(looks);
  }

  private async lookAtCluster(
    selector: string,
    ids: readonly number[],
    asked: ReadonlyMap<number, Waiter[]>,
  ): Promise<void> {
    let servers: readonly CloudServer[];
    try {
      servers = await this.options.matching(selector);
    } catch (error) {
      for (const id of ids) for (const waiter of asked.get(id) ?? []) waiter.reject(error);
      return;
    }
    const byId = new Map(servers.map((server) => [server.id, server]));
    const missing: Promise<void>[] = [];
    for (const id of ids) {
      const server = byId.get(id);
      const waiters = asked.get(id) ?? [];
      if (server === undefined) {
        missing.push(this.lookAtOne(id, waiters));
        continue;
      }
      this.learn(server);
      for (const waiter of waiters) waiter.resolve(server);
    }
    await Promise.all(missing);
  }

  private async lookAtOne(serverId: number, waiters: readonly Waiter[]): Promise<void> {
    try {
      const server = await this.options.one(serverId);
      if (server === undefined) this.clusterOf.delete(serverId);
      else this.learn(server);
      for (const waiter of waiters) waiter.resolve(server);
    } catch (error) {
      for (const waiter of waiters) waiter.reject(error);
    }
  }
}
