import { join } from 'node:path';
import type { FaultBook } from '../faults/fault-book.js';
import type { Scheduler } from '../http/scheduler.js';
import { pickLoopbackAddress } from '../host/loopback-address.js';
import type { SimDurations } from '../machine/durations.js';
import type { OsServices } from '../machine/os-services.js';
import { SimulatedMachine, type MachineEvent } from '../machine/simulated-machine.js';
import type { ProcessGroup } from '../process/process-group.js';
import { ActionBook } from './action-book.js';
import type { LoadBalancerRecord } from './load-balancer-record.js';
import type { NetworkRecord } from './network-record.js';
import type { PlacementGroupRecord } from './placement-group-record.js';
import type { ServerRecord } from './server-record.js';
import type { SnapshotImage } from './snapshot-images.js';

export interface SshKeyRecord {
  readonly id: number;
  name: string;
  readonly fingerprint: string;
  readonly publicKey: string;
  labels: Record<string, string>;
  readonly created: Date;
}

export interface ProjectEnvironment {
  readonly stateDir: string;
  readonly processes: ProcessGroup;
  readonly scheduler: Scheduler;
  /** The project's durations (configuration actions, load balancers). */
  readonly durations: SimDurations;
  /** One server's durations: drawn once per server from the realistic ranges, else `durations`. */
  readonly durationsOf: (serverId: number) => SimDurations;
  /** What a connection attempt to a booting server meets (docs/sim-cloud-api.md, "Timing"). */
  readonly whileBooting: 'refuse' | 'drop';
  readonly faults: FaultBook;
  readonly bootSystems: boolean;
  /** Disk size of every server; default: the server type's disk (sparse, so free until written). */
  readonly diskBytes: number | undefined;
  /** What installed OSes run once booted (kubeadm's node for kubeadm bootstrap data). */
  readonly osServices?: OsServices;
  readonly onError: (error: unknown) => void;
}

/**
 * One Hetzner Cloud project: its servers, SSH keys, snapshots, placement groups, networks, load
 * balancers and actions, and the machines behind servers.
 */
export class CloudProject {
  readonly servers = new Map<number, ServerRecord>();
  readonly sshKeys = new Map<number, SshKeyRecord>();
  /** Snapshots and backups made from servers (system images are the fixed catalogue). */
  readonly snapshots = new Map<number, SnapshotImage>();
  readonly placementGroups = new Map<number, PlacementGroupRecord>();
  readonly networks = new Map<number, NetworkRecord>();
  readonly loadBalancers = new Map<number, LoadBalancerRecord>();
  readonly actions: ActionBook;
  lastId = 0;
  /** Every boot's end per server, with its moment: when a system began to answer, or why not. */
  readonly boots = new Map<number, (MachineEvent & { readonly at: Date })[]>();
  private readonly retiring = new Set<Promise<void>>();

  constructor(readonly env: ProjectEnvironment) {
    this.actions = new ActionBook(() => this.nextId(), env.scheduler, env.faults, env.onError);
  }

  /** IDs are unique across kinds and grow, as on the real API (where each kind has its own range). */
  nextId(): number {
    this.lastId += 1;
    return 100_000 + this.lastId;
  }

  findServer(id: string): ServerRecord | undefined {
    return /^\d+$/.test(id) ? this.servers.get(Number(id)) : undefined;
  }

  /** The machine behind server `serverId`; its address is the server's public IPv4. */
  async newMachine(serverId: number, diskGb: number, address?: string): Promise<SimulatedMachine> {
    const onEvent = (event: MachineEvent): void => {
      if (event.type === 'booted' || event.type === 'not-booted') {
        const list = this.boots.get(serverId) ?? [];
        list.push({ ...event, at: new Date() });
        this.boots.set(serverId, list);
      }
      const server = this.servers.get(serverId);
      // The guest powered itself off (`poweroff` inside, or an ACPI shutdown it obeyed).
      if (event.type === 'guest-poweroff' && server) server.status = 'off';
    };
    return new SimulatedMachine({
      name: `cloud-${serverId}`,
      address: address ?? (await pickLoopbackAddress()),
      disks: [{ name: 'sda', sizeBytes: this.env.diskBytes ?? diskGb * 1024 ** 3 }],
      stateDir: join(this.env.stateDir, `server-${serverId}`),
      processes: this.env.processes,
      scheduler: this.env.scheduler,
      durations: this.env.durationsOf(serverId),
      whileBooting: this.env.whileBooting,
      faults: this.env.faults,
      bootSystems: this.env.bootSystems,
      ...(this.env.osServices ? { osServices: this.env.osServices } : {}),
      instance: () => {
        const server = this.servers.get(serverId);
        return server ? { name: server.name, id: String(server.id) } : undefined;
      },
      onEvent,
      onError: this.env.onError,
    });
  }

  /** Removes a deleted server's machine in the background (its disks and any booted system). */
  retire(machine: SimulatedMachine): void {
    const done = machine
      .destroy()
      .catch(this.env.onError)
      .finally(() => this.retiring.delete(done));
    this.retiring.add(done);
  }

  /** Powers every server off, keeping its disks (for a saved state). */
  async powerOffAll(): Promise<void> {
    for (const server of this.servers.values()) await server.machine.powerOff();
    await Promise.all(this.retiring);
  }

  async destroyAll(): Promise<void> {
    for (const server of this.servers.values()) await server.machine.destroy();
    this.servers.clear();
    await Promise.all(this.retiring);
  }
}
