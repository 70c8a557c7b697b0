import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { FaultBook } from '../faults/fault-book.js';
import type { FaultRule } from '../faults/fault-rules.js';
import { startHttpServer, type RunningHttpServer } from '../http/http-server.js';
import { RequestLog } from '../http/request-log.js';
import { Scheduler } from '../http/scheduler.js';
import { drawDurations } from '../machine/duration-draws.js';
import {
  realisticRanges,
  resolveDurations,
  type DurationProfile,
  type SimDurations,
} from '../machine/durations.js';
import type { MachineEvent } from '../machine/simulated-machine.js';
import { ProcessGroup } from '../process/process-group.js';
import { CloudApi } from './cloud-api.js';
import type { BootOptions } from '../host/boot-files.js';
import type { BootedSystem } from '../host/server-host.js';
import { hcloudLookup, type InstanceLookup } from '../kubeadm/cloud-node-controller.js';
import { firstFound } from '../kubeadm/robot-lookup.js';
import { kubeadmOsServices, type WorkloadSettings } from '../kubeadm/workload-settings.js';
import { CloudProject } from './cloud-project.js';
import { LoadBalancerForwarding } from './load-balancer-forwarding.js';
import { restoreCloudSnapshot, saveCloudSnapshot } from './cloud-snapshot.js';
import { RateLimiter } from './rate-limiter.js';
import { serverTimelines } from './timeline-view.js';

export interface CloudSimulatorOptions {
  /** Folder for the servers' disks and boot files. */
  readonly stateDir: string;
  /** Where the API listens; default 127.0.0.1 and a free port. */
  readonly address?: string;
  readonly port?: number;
  /** The project's API token; default a random 64-character one, like a real token. */
  readonly token?: string;
  readonly adminToken?: string;
  /** Shared with the other simulators of an environment; default: its own. */
  readonly processes?: ProcessGroup;
  readonly profile?: DurationProfile;
  /** Fixed durations: a key given here does not vary per server. */
  readonly durations?: Partial<SimDurations>;
  /**
   * Seeds the per-server draws of the realistic profile (sim/machine/duration-draws.ts): the
   * same seed gives server N the same durations. Default: a random one (see `seed`).
   */
  readonly seed?: number;
  /** Multiplies every duration but the rescue lapse; default 1. */
  readonly timeScale?: number;
  /**
   * What a connection to port 22 of a server that is booting meets: `refuse` (RST, the default)
   * or `drop` (no answer at all, as a VM whose network is not up yet).
   */
  readonly whileBooting?: 'refuse' | 'drop';
  /** False: the API and power model only, nothing boots (no root needed). Default true. */
  readonly bootSystems?: boolean;
  /** Disk size of every server; default the server type's (sparse). */
  readonly diskBytes?: number;
  readonly rateLimitPerHour?: number;
  readonly faults?: readonly FaultRule[];
  /**
   * Keep the project between runs: restored from `<stateDir>/state.json` at start when present,
   * saved there at stop, disks kept. Default false: stop removes everything.
   */
  readonly persist?: boolean;
  /**
   * Servers booting kubeadm bootstrap data become Kubernetes nodes (sim/kubeadm, ADR 0013); the
   * cloud controller stand-in looks servers up in this simulator, then in `cloudLookup` (e.g. a
   * Robot simulator's dedicated servers, sim/kubeadm/robot-lookup.ts). `false`: OSes run nothing.
   */
  readonly workloadClusters?: WorkloadSettings | false;
  /** Unexpected simulator failures (a boot that failed, a bug); default: kept in `errors`. */
  readonly onError?: (error: unknown) => void;
}

/** A view of one simulated server for tests and the admin path. */
export interface CloudServerView {
  readonly id: number;
  readonly name: string;
  readonly status: string;
  readonly address: string;
  /** What answers SSH right now. */
  readonly system: 'rescue' | 'os' | null;
  readonly rescueEnabled: boolean;
  /** How the latest boot attempt ended, e.g. `{type:'not-booted', system:'os', reason:'no bootable disk …'}`. */
  readonly lastBoot: MachineEvent | null;
}

/**
 * The Hetzner Cloud API simulator: real HTTP on loopback, one project, servers that boot real
 * rescue and OS hosts at their public IPv4. `endpoint` is what HCLOUD_ENDPOINT takes.
 */
export class CloudSimulator {
  readonly errors: unknown[] = [];
  readonly faults = new FaultBook();
  readonly requests = new RequestLog();
  private readonly scheduler = new Scheduler();
  private readonly ownsProcesses: boolean;
  private readonly processes: ProcessGroup;
  private readonly project: CloudProject;
  private readonly forwarding: LoadBalancerForwarding;
  private http: RunningHttpServer | undefined;
  readonly token: string;
  readonly adminToken: string;
  readonly seed: number;

  private constructor(private readonly options: CloudSimulatorOptions) {
    this.token = options.token ?? randomBytes(32).toString('hex');
    this.adminToken = options.adminToken ?? randomBytes(16).toString('hex');
    this.ownsProcesses = options.processes === undefined;
    this.processes = options.processes ?? new ProcessGroup();
    const onError = (error: unknown): void => {
      this.errors.push(error);
      options.onError?.(error);
    };
    this.seed = options.seed ?? randomBytes(4).readUInt32BE(0);
    const timing = perServerDurations(options, this.seed);
    this.project = new CloudProject({
      stateDir: options.stateDir,
      processes: this.processes,
      scheduler: this.scheduler,
      durations: timing.project,
      durationsOf: timing.of,
      whileBooting: options.whileBooting ?? 'refuse',
      faults: this.faults,
      bootSystems: options.bootSystems ?? true,
      diskBytes: options.diskBytes,
      ...(options.workloadClusters === false
        ? {}
        : {
            osServices: kubeadmOsServices({
              ...options.workloadClusters,
              cloudLookup: withCloudFirst(
                hcloudLookup(() => this.endpoint, this.token),
                options.workloadClusters?.cloudLookup,
              ),
            }),
          }),
      onError,
    });
    this.forwarding = new LoadBalancerForwarding(this.project, onError);
    if (options.faults) this.faults.add(options.faults);
  }

  static async start(options: CloudSimulatorOptions): Promise<CloudSimulator> {
    const simulator = new CloudSimulator(options);
    await mkdir(options.stateDir, { recursive: true, mode: 0o700 });
    if (options.persist === true) await restoreCloudSnapshot(simulator.project);
    await simulator.forwarding.sync();
    const api = new CloudApi({
      token: simulator.token,
      adminToken: simulator.adminToken,
      project: simulator.project,
      rateLimiter: new RateLimiter(options.rateLimitPerHour ?? 3600),
      faults: simulator.faults,
      log: simulator.requests,
      views: { servers: () => simulator.servers(), timeline: () => serverTimelines(simulator.project) },
      onError: (error) => simulator.errors.push(error),
    });
    // A change may add or remove a load balancer's service: its listener follows before the reply.
    simulator.http = await startHttpServer(
      options.address ?? '127.0.0.1',
      options.port ?? 0,
      async (request) => {
        const response = await api.handle(request);
        if (request.method !== 'GET') await simulator.forwarding.sync();
        return response;
      },
    );
    return simulator;
  }

  /** The API base URL including `/v1`, as HCLOUD_ENDPOINT and hcloud-go's WithEndpoint take it. */
  get endpoint(): string {
    return `${this.baseUrl}/v1`;
  }

  /** The admin path's base URL (request log, counters, faults, servers). */
  get adminUrl(): string {
    return `${this.baseUrl}/_sim`;
  }

  private get baseUrl(): string {
    if (this.http === undefined) throw new Error('the Cloud simulator is not running');
    return this.http.url;
  }

  servers(): CloudServerView[] {
    return [...this.project.servers.values()].map((server) => ({
      id: server.id,
      name: server.name,
      status: server.status,
      address: server.machine.host.address,
      system: server.machine.system ?? null,
      rescueEnabled: server.machine.rescueActive,
      lastBoot: server.machine.lastBoot ?? null,
    }));
  }

  /**
   * The backing file of a server's disk, created (sparse) if it does not exist yet: to prepare
   * or inspect the disk from outside, as a test or a demo does.
   */
  async diskPath(serverId: number, disk = 'sda'): Promise<string> {
    const server = this.project.servers.get(serverId);
    if (server === undefined) throw new Error(`no server ${serverId}`);
    await server.machine.host.disks.create();
    return server.machine.host.disks.imagePath(disk);
  }

  /**
   * Puts another system on a running server's address without the server rebooting (its API
   * state stays as it is): a fresh host key and an empty /root, as a system in the middle of
   * one boot would present. For host-key tests.
   */
  async replaceSystem(serverId: number, boot: BootOptions): Promise<BootedSystem> {
    const server = this.project.servers.get(serverId);
    if (server === undefined) throw new Error(`no server ${serverId}`);
    return server.machine.host.boot(boot);
  }

  /** Where a load balancer's services listen (`address:port` each), for tests. */
  loadBalancerListeners(balancerId: number): string[] {
    return this.forwarding.listening(balancerId);
  }

  /** Stops serving, cancels every pending action and boot, powers off and removes every server. */
  async stop(): Promise<void> {
    this.scheduler.stop();
    await this.http?.close();
    this.http = undefined;
    await this.forwarding.stop();
    if (this.options.persist === true) {
      await saveCloudSnapshot(this.project); // before powering off: servers come back as they ran
      await this.project.powerOffAll();
    } else await this.project.destroyAll();
    if (this.ownsProcesses) await this.processes.stopAll();
  }
}

/**
 * The project's durations, and each server's: drawn once per server from the realistic ranges,
 * except the keys the caller fixed; the fast profile never varies.
 */
function perServerDurations(
  options: CloudSimulatorOptions,
  seed: number,
): { project: SimDurations; of: (serverId: number) => SimDurations } {
  const profile = options.profile ?? 'realistic';
  const base = resolveDurations(profile, options.durations);
  const draws = { seed, timeScale: options.timeScale ?? 1 };
  const ranges = Object.fromEntries(
    Object.entries(profile === 'realistic' ? realisticRanges : {}).filter(
      ([key]) => options.durations?.[key as keyof SimDurations] === undefined,
    ),
  );
  const drawn = new Map<number, SimDurations>();
  return {
    project: drawDurations(base, {}, 0, draws),
    of: (serverId) => {
      const known = drawn.get(serverId) ?? drawDurations(base, ranges, serverId, draws);
      drawn.set(serverId, known);
      return known;
    },
  };
}

/** The Cloud's own servers first; nodes it does not know are looked up in `more` when given. */
function withCloudFirst(cloud: InstanceLookup, more: InstanceLookup | undefined): InstanceLookup {
  return more === undefined ? cloud : firstFound(cloud, more);
}
