import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FaultBook } from '../faults/fault-book.js';
import type { FaultRule } from '../faults/fault-rules.js';
import { startHttpServer, type RunningHttpServer } from '../http/http-server.js';
import { RequestLog } from '../http/request-log.js';
import { Scheduler } from '../http/scheduler.js';
import type { DiskSpec } from '../host/host-disks.js';
import { pickLoopbackAddress } from '../host/loopback-address.js';
import { resolveDurations, type DurationProfile, type SimDurations } from '../machine/durations.js';
import { SimulatedMachine, type MachineEvent } from '../machine/simulated-machine.js';
import { ProcessGroup } from '../process/process-group.js';
import { RobotAccount, type ResetType, type RobotServer } from './robot-account.js';
import { RobotApi } from './robot-api.js';
import { RobotAuth, type IpLockPolicy } from './robot-auth.js';
import { RobotLimits } from './robot-limits.js';
import { loadRobotSnapshot, saveRobotSnapshot, withSavedIdentity } from './robot-snapshot.js';
import { kubeadmOsServices, type WorkloadSettings } from '../kubeadm/workload-settings.js';

export interface RobotServerSpec {
  readonly number?: number;
  readonly name?: string;
  readonly product?: string;
  readonly dc?: string;
  readonly resetTypes?: readonly ResetType[];
  readonly disks?: readonly DiskSpec[];
  /** Its main IPv4 (a loopback address); default: a free one. */
  readonly address?: string;
}

export interface RobotSimulatorOptions {
  readonly stateDir: string;
  readonly address?: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly adminToken?: string;
  readonly servers?: readonly RobotServerSpec[];
  readonly processes?: ProcessGroup;
  readonly profile?: DurationProfile;
  readonly durations?: Partial<SimDurations> & { readonly manualResetMs?: number };
  readonly bootSystems?: boolean;
  /** B1's block after 3 failed logins for 10 minutes; `false` turns it off (tests share 127.0.0.1). */
  readonly ipLock?: IpLockPolicy | false;
  /** Multiplies every per-endpoint hourly limit (Robot docs); default 1. */
  readonly rateLimitScale?: number;
  readonly faults?: readonly FaultRule[];
  /**
   * Answer rescue activations with the host key the rescue system will present, in `host_key`
   * as Robot lists host keys elsewhere (`{"key": {"fingerprint": <MD5>, "type", "size"}}`).
   * Default false: an empty list, as every published sample of a rescue answer shows.
   */
  readonly publishRescueHostKeys?: boolean;
  /** Keep keys, server names and addresses, and disks between runs in `<stateDir>` (default false). */
  readonly persist?: boolean;
  /** Servers booting kubeadm bootstrap data become Kubernetes nodes (sim/kubeadm); `false`: off. */
  readonly workloadClusters?: WorkloadSettings | false;
  readonly onError?: (error: unknown) => void;
}

const MiB = 1024 * 1024;

/** The Hetzner Robot webservice simulator with dedicated servers that boot for real. */
export class RobotSimulator {
  readonly errors: unknown[] = [];
  readonly faults = new FaultBook();
  readonly requests = new RequestLog();
  readonly account = new RobotAccount();
  readonly user: string;
  readonly password: string;
  readonly adminToken: string;
  private readonly scheduler = new Scheduler();
  private readonly processes: ProcessGroup;
  private http: RunningHttpServer | undefined;

  private constructor(private readonly options: RobotSimulatorOptions) {
    this.user = options.user ?? `#ws+${randomBytes(4).toString('hex')}`;
    this.password = options.password ?? randomBytes(12).toString('base64url');
    this.adminToken = options.adminToken ?? randomBytes(16).toString('hex');
    this.processes = options.processes ?? new ProcessGroup();
    if (options.faults) this.faults.add(options.faults);
  }

  static async start(options: RobotSimulatorOptions): Promise<RobotSimulator> {
    const simulator = new RobotSimulator(options);
    await simulator.addAccount();
    const durations = {
      manualResetMs: 10 * 60_000,
      ...resolveDurations(options.profile ?? 'realistic', options.durations),
    };
    const api = new RobotApi({
      auth: new RobotAuth(
        simulator.user,
        simulator.password,
        options.ipLock ?? { failures: 3, lockMs: 10 * 60_000 },
      ),
      limits: new RobotLimits(options.rateLimitScale ?? 1),
      adminToken: simulator.adminToken,
      faults: simulator.faults,
      log: simulator.requests,
      views: { servers: () => simulator.servers() },
      context: {
        account: simulator.account,
        scheduler: simulator.scheduler,
        durations,
        publishRescueHostKeys: options.publishRescueHostKeys ?? false,
        onError: simulator.onError,
      },
    });
    simulator.http = await startHttpServer(options.address ?? '127.0.0.1', options.port ?? 0, (request) =>
      api.handle(request),
    );
    return simulator;
  }

  /** The webservice base URL (what replaces https://robot-ws.your-server.de). */
  get endpoint(): string {
    if (this.http === undefined) throw new Error('the Robot simulator is not running');
    return this.http.url;
  }

  get adminUrl(): string {
    return `${this.endpoint}/_sim`;
  }

  servers(): {
    number: number;
    name: string;
    address: string;
    poweredOn: boolean;
    system: string | null;
    rescueActive: boolean;
    lastBoot: MachineEvent | null;
  }[] {
    return [...this.account.servers.values()].map((server) => ({
      number: server.number,
      name: server.name,
      address: server.machine.host.address,
      poweredOn: server.machine.poweredOn,
      system: server.machine.system ?? null,
      rescueActive: server.rescue !== undefined,
      lastBoot: server.machine.lastBoot ?? null,
    }));
  }

  server(number: number): RobotServer {
    return this.account.server(String(number));
  }

  async stop(): Promise<void> {
    this.scheduler.stop();
    await this.http?.close();
    this.http = undefined;
    for (const server of this.account.servers.values()) {
      if (this.options.persist === true) await server.machine.powerOff();
      else await server.machine.destroy();
    }
    if (this.options.persist === true) await saveRobotSnapshot(this.options.stateDir, this.account);
    if (this.options.processes === undefined) await this.processes.stopAll();
  }

  private readonly onError = (error: unknown): void => {
    this.errors.push(error);
    this.options.onError?.(error);
  };

  /** The account's keys and servers, as configured and, with `persist`, as saved before. */
  private async addAccount(): Promise<void> {
    const { stateDir, persist, servers } = this.options;
    await mkdir(stateDir, { recursive: true, mode: 0o700 });
    const saved = persist === true ? await loadRobotSnapshot(stateDir) : undefined;
    for (const key of saved?.keys ?? []) this.account.keys.set(key.fingerprint, key);
    const specs = (servers ?? [{}]).map((spec, index) => ({
      ...spec,
      number: spec.number ?? 2_345_678 + index,
    }));
    for (const spec of withSavedIdentity(specs, saved)) await this.addServer(spec);
  }

  private async addServer(spec: RobotServerSpec & { readonly number: number }): Promise<void> {
    const durations = resolveDurations(this.options.profile ?? 'realistic', this.options.durations);
    const number = spec.number;
    const address = spec.address ?? (await pickLoopbackAddress());
    const record: RobotServer = {
      number,
      name: spec.name ?? `server-${number}`,
      product: spec.product ?? 'AX42',
      dc: spec.dc ?? 'FSN1-DC14',
      resetTypes: spec.resetTypes ?? ['sw', 'hw', 'power', 'power_long', 'man'],
      ipv6Net: `2001:db8:${(number >> 16).toString(16)}:${(number & 0xffff).toString(16)}::`,
      rescue: undefined,
      lastRescue: undefined,
      manualResetPending: false,
      machine: new SimulatedMachine({
        name: `robot-${number}`,
        address,
        disks: spec.disks ?? [
          { name: 'sda', sizeBytes: 64 * MiB },
          { name: 'sdb', sizeBytes: 64 * MiB },
        ],
        stateDir: join(this.options.stateDir, `server-${number}`),
        processes: this.processes,
        scheduler: this.scheduler,
        durations,
        faults: this.faults,
        bootSystems: this.options.bootSystems ?? true,
        ...(this.options.workloadClusters === false
          ? {}
          : { osServices: kubeadmOsServices(this.options.workloadClusters) }),
        instance: () => ({ name: record.name, id: String(number) }),
        onEvent: (event) => {
          if (event.type === 'rescue-consumed') record.rescue = undefined;
        },
        onError: this.onError,
      }),
    };
    this.account.servers.set(number, record);
    // Dedicated servers run all the time; one with a blank disk runs with nothing answering.
    record.machine.powerOn();
  }
}
