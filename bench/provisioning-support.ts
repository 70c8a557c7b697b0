import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { CAPI_API_VERSION } from '../api/cluster-api.js';
import { GROUP } from '../api/v1beta1/index.js';
import type { ServerTimeline } from '../sim/cloud/timeline-view.js';
import type { LoggedRequest, RequestCounters } from '../sim/http/request-log.js';
import { machineKind, type KubeClient, type KubeObject, CLUSTER_NAME_LABEL } from '../src/kube/index.js';
import { hcloudMachinesKind } from '../test/support/provisioning-objects.js';

/** The zero-duration Cloud simulator of bench/provisioning-sim.ts, in its own process. */
interface SimFacts {
  readonly endpoint: string;
  readonly token: string;
  readonly adminUrl: string;
  readonly adminToken: string;
}

export class SimProcess {
  readonly endpoint: string;
  readonly token: string;

  private constructor(
    private readonly child: ChildProcess,
    private readonly facts: SimFacts,
  ) {
    this.endpoint = facts.endpoint;
    this.token = facts.token;
  }

  /** `args`: bench/provisioning-sim.ts's (none: zero durations). */
  static async start(args: readonly string[] = []): Promise<SimProcess> {
    const script = fileURLToPath(new URL('./provisioning-sim.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`the simulator exited (${String(code)}) before it ran`)));
    });
    lines.close();
    return new SimProcess(child, JSON.parse(first) as SimFacts);
  }

  private async admin(method: string, path: string): Promise<unknown> {
    const response = await fetch(`${this.facts.adminUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.facts.adminToken}` },
    });
    if (!response.ok) throw new Error(`simulator admin ${method} ${path}: HTTP ${response.status}`);
    return response.status === 204 ? undefined : response.json();
  }

  async requests(): Promise<LoggedRequest[]> {
    return ((await this.admin('GET', '/requests?limit=10000')) as { requests: LoggedRequest[] }).requests;
  }

  /** When each server's actions finished and its boots answered (GET /_sim/timeline). */
  async timeline(): Promise<ServerTimeline[]> {
    return (await this.admin('GET', '/timeline')) as ServerTimeline[];
  }

  async counters(): Promise<RequestCounters> {
    return (await this.admin('GET', '/counters')) as RequestCounters;
  }

  /** Forgets the request log and counters (the next phase counts from zero). */
  async resetCounters(): Promise<void> {
    await this.admin('DELETE', '/counters');
  }

  async servers(): Promise<{ id: number; name: string; system: string | null }[]> {
    return (await this.admin('GET', '/servers')) as { id: number; name: string; system: string | null }[];
  }

  /** SIGTERM, then waits for the simulator to remove its servers and exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

/** Polls the simulator until stopped; resolves the moment the rescue system first answered SSH. */
export function pollRescue(sim: SimProcess): { stop: () => Promise<number> } {
  const state = { stopped: false, at: NaN };
  const loop = (async (): Promise<void> => {
    while (!state.stopped && Number.isNaN(state.at)) {
      const servers = await sim.servers();
      if (servers.some((server) => server.system === 'rescue')) state.at = Date.now();
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    stop: async () => {
      state.stopped = true;
      await loop;
      return state.at;
    },
  };
}

/** A Cluster API Machine and its HCloudMachine in a namespace prepared by createProvisioningObjects. */
export async function createMachine(
  client: KubeClient,
  namespace: string,
  name: string,
  command: string,
): Promise<void> {
  const clusterLabel = { [CLUSTER_NAME_LABEL]: 'my-cluster' };
  const machine = await client.create(machineKind, {
    apiVersion: CAPI_API_VERSION,
    kind: 'Machine',
    metadata: { name, namespace, labels: clusterLabel },
    spec: {
      clusterName: 'my-cluster',
      bootstrap: { dataSecretName: 'bootstrap' },
      infrastructureRef: { apiGroup: GROUP, kind: 'HCloudMachine', name },
    },
  } as KubeObject);
  const owner = {
    apiVersion: CAPI_API_VERSION,
    kind: 'Machine',
    name,
    uid: machine.metadata.uid ?? '',
    controller: true,
  };
  await client.create(hcloudMachinesKind, {
    apiVersion: `${GROUP}/v1beta1`,
    kind: 'HCloudMachine',
    metadata: { name, namespace, labels: clusterLabel, ownerReferences: [owner] },
    spec: { type: 'cpx22', imageURL: 'oci://registry.example.com/images/node:v1', imageURLCommand: command },
  } as KubeObject);
}

/** One series of Prometheus text: metric name, labels, value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Parses Prometheus text exposition (enough for our own metrics: no escaped quotes in values). */
export function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((pair) => [pair[1] ?? '', pair[2] ?? '']),
    );
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of a metric's series whose labels include `labels`. */
export function total(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Heap and RSS in MiB after a full GC when --expose-gc allows one. */
export function memory(): { heapUsedMiB: number; rssMiB: number; afterGc: boolean } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const usage = process.memoryUsage();
  const mib = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return { heapUsedMiB: mib(usage.heapUsed), rssMiB: mib(usage.rss), afterGc: gc !== undefined };
}

/** Requests by endpoint pattern and status, e.g. `POST /v1/servers 201` → 1, most first. */
export function byEndpoint(requests: readonly LoggedRequest[]): Record<string, number> {
  const counts = new Map<string, number>();
  for (const request of requests) {
    const key = `${request.endpoint} ${request.status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]));
}
