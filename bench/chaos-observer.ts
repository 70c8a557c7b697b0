// What the soak sees while it runs: every HCloudMachine, HetznerBareMetalMachine and host change
// (outcome, the longest time without a condition change, secrets in statuses), and samples of
// the Cloud simulator's servers (two live servers for one machine are a duplicate).
import { Informer, type KubeClient, type KubeObject, type Logger } from '../src/kube/index.js';
import { bareMetalHosts, bareMetalMachines } from '../src/reconcilers/shared/kinds.js';
import { hcloudMachinesKind } from '../test/support/provisioning-objects.js';

interface Condition {
  readonly type?: string;
  readonly status?: string;
  readonly reason?: string;
  readonly message?: string;
}

interface Status {
  readonly bootState?: string;
  readonly provisioningState?: string;
  readonly ready?: boolean;
  readonly failureReason?: string;
  readonly failureMessage?: string;
  readonly errorType?: string;
  readonly conditions?: readonly Condition[];
}

interface Observed extends KubeObject {
  status?: Status;
  spec?: { status?: Status; consumerRef?: { name?: string; namespace?: string } };
}

export type Outcome = { kind: 'running' } | { kind: 'failed'; reason: string };

/** One machine (or host, while claimed) as followed by the observer. */
interface Followed {
  signature: string;
  /** bootState, provisioningState or readiness, for progress lines. */
  state: string;
  lastChange: number;
  longestStillMs: number;
  outcome?: Outcome | undefined;
  /** At rest for now (a host provisioned or free): time without change is not stuck. */
  settled: boolean;
  gone: boolean;
}

/** The conditions (and state) a user watches; a change of any of them is progress. */
function signature(status: Status | undefined): string {
  const conditions = (status?.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message]);
  return JSON.stringify([status?.bootState, status?.provisioningState, conditions]);
}

function stateOf(status: Status | undefined): string {
  return status?.bootState ?? status?.provisioningState ?? (status?.ready === true ? 'ready' : '-');
}

function falseReason(status: Status | undefined): string | undefined {
  return status?.conditions?.find((c) => c.status === 'False' && c.reason !== undefined)?.reason;
}

function failureOf(status: Status | undefined): Outcome | undefined {
  if (status?.failureReason === undefined && status?.bootState !== 'ProvisioningFailed') return undefined;
  return {
    kind: 'failed',
    reason: `${status.failureReason ?? 'no failureReason'}/${falseReason(status) ?? '-'}`,
  };
}

function outcomeOf(kind: 'hcloud' | 'baremetal', status: Status | undefined): Outcome | undefined {
  const running = kind === 'hcloud' ? status?.bootState === 'OperatingSystemRunning' : status?.ready === true;
  return running ? { kind: 'running' } : failureOf(status);
}

/** Machine names with more than one server in one sample (a replacement shows in two samples). */
export function namesWithTwoServers(servers: readonly { name: string }[]): string[] {
  const names = servers.map((server) => server.name);
  return [...new Set(names.filter((name, i) => names.indexOf(name) !== i))];
}

export class ChaosObserver {
  private readonly informers: Informer<Observed>[] = [];
  readonly followed = new Map<string, Followed>();
  /** Where a secret showed up: `<object>: <secret name>`. */
  readonly secretsSeen = new Set<string>();
  /** Machine names that had two servers alive at the same moment. */
  readonly duplicateServers = new Set<string>();
  /** Machines claimed by two hosts at once. */
  readonly doubleClaims = new Set<string>();
  private readonly claims = new Map<string, string | undefined>();
  /** Server ids seen per machine name. */
  readonly serverIds = new Map<string, Set<number>>();

  constructor(
    private readonly client: KubeClient,
    private readonly log: Logger,
    private readonly secrets: Readonly<Record<string, string>>,
  ) {}

  async start(): Promise<void> {
    this.follow(hcloudMachinesKind, 'hcloud', (o) => o.status);
    this.follow(bareMetalMachines, 'baremetal', (o) => o.status);
    // A claimed host's state is its machine's progress: registering, image-installing, …
    this.follow(bareMetalHosts, 'host', (o) =>
      o.spec?.consumerRef === undefined ? undefined : o.spec.status,
    );
    for (const informer of this.informers) informer.start();
    await Promise.all(this.informers.map((informer) => informer.synced));
  }

  /** Machines that ended (running or failed) by name; `kind/namespace/name` keys. */
  outcome(key: string): Outcome | undefined {
    return this.followed.get(key)?.outcome;
  }

  private follow(
    kind: typeof hcloudMachinesKind,
    label: 'hcloud' | 'baremetal' | 'host',
    statusOf: (object: Observed) => Status | undefined,
  ): void {
    const informer = new Informer<Observed>(this.client, { kind, log: this.log });
    informer.onChange(({ type, object }) => this.seen(label, type === 'deleted', object, statusOf));
    this.informers.push(informer);
  }

  private seen(
    label: 'hcloud' | 'baremetal' | 'host',
    deleted: boolean,
    object: Observed,
    statusOf: (object: Observed) => Status | undefined,
  ): void {
    const key = `${label}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
    this.scanForSecrets(key, object);
    const now = Date.now();
    const entry = this.entry(key, now);
    if (label === 'host') this.checkClaims(key, deleted ? undefined : object);
    if (deleted) {
      entry.gone = true;
      return;
    }
    const status = statusOf(object);
    if (label !== 'host') entry.outcome ??= outcomeOf(label, status);
    entry.state = stateOf(status);
    this.progressed(entry, status, label === 'host', now);
  }

  /** How many live objects are in each state, e.g. `hcloud BootingToRescue: 3`. */
  states(): string {
    const counts = new Map<string, number>();
    for (const [key, entry] of this.followed) {
      if (entry.gone) continue;
      const label = `${key.split('/')[0] ?? ''} ${entry.state}`;
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    return [...counts].map(([label, n]) => `${label}: ${n}`).join(', ');
  }

  /** Measures the still time that ends now, when the status changed. */
  private progressed(entry: Followed, status: Status | undefined, host: boolean, now: number): void {
    const next = signature(status);
    if (next === entry.signature) return;
    if (this.moving(entry)) entry.longestStillMs = Math.max(entry.longestStillMs, now - entry.lastChange);
    entry.signature = next;
    entry.lastChange = now;
    entry.settled = host && ['', 'provisioned'].includes(status?.provisioningState ?? '');
  }

  private entry(key: string, now: number): Followed {
    const entry = this.followed.get(key) ?? {
      signature: '',
      state: '',
      lastChange: now,
      longestStillMs: 0,
      settled: false,
      gone: false,
    };
    this.followed.set(key, entry);
    return entry;
  }

  /** Still provisioning: a time without change counts as stuck. */
  private moving(entry: Followed): boolean {
    return !entry.gone && !entry.settled && entry.outcome === undefined;
  }

  private scanForSecrets(key: string, object: Observed): void {
    const text = JSON.stringify({ status: object.status, spec: object.spec, metadata: object.metadata });
    for (const [name, value] of Object.entries(this.secrets))
      if (value !== '' && text.includes(value)) this.secretsSeen.add(`${key}: ${name}`);
  }

  private checkClaims(host: string, object: Observed | undefined): void {
    const ref = object?.spec?.consumerRef;
    this.claims.set(host, ref?.name === undefined ? undefined : `${ref.namespace ?? ''}/${ref.name}`);
    const claimed = [...this.claims.values()].filter((machine) => machine !== undefined);
    for (const machine of claimed)
      if (claimed.filter((other) => other === machine).length > 1) this.doubleClaims.add(machine);
  }

  /** One sample of the Cloud simulator's servers. */
  sampleServers(servers: readonly { id: number; name: string }[]): void {
    for (const server of servers) {
      const ids = this.serverIds.get(server.name) ?? new Set<number>();
      ids.add(server.id);
      this.serverIds.set(server.name, ids);
    }
    for (const name of namesWithTwoServers(servers)) this.duplicateServers.add(name);
  }

  /** The longest still time of each followed object, counting the ones still open up to now. */
  longestStill(): { key: string; ms: number } {
    let worst = { key: '', ms: 0 };
    const now = Date.now();
    for (const [key, entry] of this.followed) {
      const open = this.moving(entry) ? now - entry.lastChange : 0;
      const ms = Math.max(entry.longestStillMs, open);
      if (ms > worst.ms) worst = { key, ms };
    }
    return worst;
  }

  async stop(): Promise<void> {
    await Promise.all(this.informers.map((informer) => informer.stop()));
  }
}
