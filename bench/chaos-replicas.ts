// Two `imageurl controller` processes with leader election, as two pods of a Deployment: the
// soak SIGKILLs one (mostly the leader) and starts it again at once, as the kubelet would.
// Every process writes its output to a file of its own, which the soak searches for secrets.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessGroup } from '../sim/process/process-group.js';
import type { SupervisedProcess } from '../sim/process/supervised-process.js';
import { leaseKind, type KubeClient, type KubeObject } from '../src/kube/index.js';

const BIN = fileURLToPath(new URL('../bin/imageurl.js', import.meta.url));
const REPLICAS = ['replica-a', 'replica-b'] as const;
export const LEASE_NAMESPACE = 'chaos-system';
const LEASE_NAME = 'imageurl-chaos-leader';

export interface ReplicaOptions {
  /** A kubeconfig whose server the soak can cut (the apiserver outage). */
  readonly kubeconfigPath: string;
  readonly commandsDir: string;
  readonly hcloudEndpoint: string;
  readonly robotEndpoint: string;
  /** Secrets, by environment as in a pod. */
  readonly env: Readonly<Record<string, string>>;
  /** One log file per process start goes here. */
  readonly logDir: string;
}

export class ControllerReplicas {
  private readonly group = new ProcessGroup();
  private readonly live = new Map<string, SupervisedProcess>();
  private starts = 0;
  /** Log files of every process started so far. */
  readonly logFiles: string[] = [];
  /** SIGKILLs so far, and how many of them hit the lease holder. */
  readonly kills = { total: 0, leader: 0 };
  /** Processes that ended on their own (e.g. after losing the lease) and were started again. */
  exits = 0;
  private stopping = false;

  constructor(private readonly options: ReplicaOptions) {}

  startAll(): void {
    for (const replica of REPLICAS) this.start(replica);
  }

  private start(replica: string): void {
    this.starts += 1;
    const { kubeconfigPath, commandsDir, hcloudEndpoint, robotEndpoint } = this.options;
    const logFile = join(this.options.logDir, `${replica}-${this.starts}.log`);
    this.logFiles.push(logFile);
    const args = [
      ...[BIN, 'controller', '--kubeconfig', kubeconfigPath, '--commands-dir', commandsDir],
      ...['--hcloud-endpoint', hcloudEndpoint, '--robot-endpoint', robotEndpoint],
      ...['--metrics-bind-address', '0', '--health-probe-bind-address', '0'],
      ...['--leader-elect', '--leader-election-namespace', LEASE_NAMESPACE],
      // Shorter than the defaults (15 s, 10 s, 2 s) so 50 kills of the leader leave time to
      // work, long enough that a loaded 2-core machine does not miss renewals all the time.
      ...['--leader-election-id', LEASE_NAME, '--leader-elect-lease-duration', '10s'],
      ...['--leader-elect-renew-deadline', '8s', '--leader-elect-retry-period', '1s'],
    ];
    const child = this.group.start({
      name: `${replica} #${this.starts}`,
      command: process.execPath,
      args,
      env: { ...process.env, IMAGEURL_LOG_LEVEL: 'info', POD_NAME: replica, ...this.options.env },
      logFile,
    });
    this.live.set(replica, child);
    // As the kubelet restarts a container that exited (a lost lease ends the process).
    void child.waitForExit().then(async () => {
      if (this.stopping || this.live.get(replica) !== child) return;
      this.exits += 1;
      await this.group.stopMember(child);
      if (this.live.get(replica) === child) this.start(replica); // not stopped meanwhile
    });
  }

  /** The replica holding the lease, if any. */
  async leader(client: KubeClient): Promise<string | undefined> {
    const lease = await client
      .find<KubeObject & { spec?: { holderIdentity?: string } }>(leaseKind, LEASE_NAMESPACE, LEASE_NAME)
      .catch(() => undefined);
    const holder = lease?.spec?.holderIdentity ?? '';
    return REPLICAS.find((replica) => holder.startsWith(`${replica}_`));
  }

  /**
   * SIGKILLs the leader (with probability `leaderShare`, when one is known) or the other
   * replica, then starts it again.
   */
  async killOne(client: KubeClient, random: () => number, leaderShare = 0.75): Promise<string> {
    const leader = await this.leader(client);
    const other = REPLICAS.find((replica) => replica !== leader) ?? REPLICAS[0];
    const victim = leader !== undefined && random() < leaderShare ? leader : other;
    const child = this.live.get(victim);
    this.live.delete(victim);
    if (child?.running === true) {
      child.killNow();
      await child.waitForExit();
      this.kills.total += 1;
      if (victim === leader) this.kills.leader += 1;
    }
    if (child) await this.group.stopMember(child);
    this.start(victim);
    return victim;
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    this.live.clear();
    await this.group.stopAll({ graceMs: 5_000 });
  }
}
