import { createHash } from 'node:crypto';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { attachLoop, detachLoop, detachLoopNow, type LoopDevice } from './loop-devices.js';
import { PartitionLoops, type PartitionedDisk } from './partition-loops.js';
import type { PartitionTable } from './partition-table.js';

export interface DiskSpec {
  /** Kernel name the server sees, e.g. `sda` or `nvme0n1`. */
  readonly name: string;
  readonly sizeBytes: number;
  /** As lsblk shows it (`0x5000c500…`); derived from the host and disk name when omitted. */
  readonly wwn?: string;
  readonly serial?: string;
  readonly model?: string;
}

export interface AttachedDisk extends LoopDevice {
  readonly spec: Required<DiskSpec>;
  readonly imagePath: string;
}

const diskName = /^(sd[a-z]|vd[a-z]|nvme[0-9]n[0-9])$/;

/**
 * A server's disks: sparse files that persist across boots, attached as loop devices while it
 * runs, and their partitions' loop devices once the booted system has run `partprobe`.
 */
export class HostDisks {
  readonly specs: readonly Required<DiskSpec>[];
  readonly partitions = new PartitionLoops();
  private attached: AttachedDisk[] = [];

  constructor(
    readonly hostName: string,
    readonly directory: string,
    specs: readonly DiskSpec[],
  ) {
    this.specs = specs.map((spec) => withIdentity(hostName, spec));
  }

  imagePath(name: string): string {
    if (!this.specs.some((spec) => spec.name === name))
      throw new Error(`host ${this.hostName} has no disk ${name}`);
    return join(this.directory, `${name}.img`);
  }

  /** Creates missing backing files (sparse: they take no space until written). */
  async create(): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    for (const spec of this.specs) {
      const file = await open(this.imagePath(spec.name), 'a');
      try {
        if ((await file.stat()).size < spec.sizeBytes) await file.truncate(spec.sizeBytes);
      } finally {
        await file.close();
      }
    }
  }

  async attach(): Promise<readonly AttachedDisk[]> {
    if (this.attached.length > 0) return this.attached;
    try {
      for (const spec of this.specs) {
        const imagePath = this.imagePath(spec.name);
        this.attached.push({ spec, imagePath, ...(await attachLoop(imagePath)) });
      }
    } catch (error) {
      await this.detach();
      throw new Error(`attaching the disks of host ${this.hostName} failed: ${String(error)}`, {
        cause: error,
      });
    }
    return this.attached;
  }

  /**
   * Reads the partition table of the named disks (all when none is named) and gives the booted
   * system, whose /dev is `devDir`, a node per partition. Names are the server's (`sda`).
   */
  async rereadPartitions(names: readonly string[], devDir: string): Promise<Map<string, PartitionTable>> {
    for (const name of names) this.imagePath(name); // throws for disks this host does not have
    const tables = new Map<string, PartitionTable>();
    for (const spec of this.specs.filter((s) => names.length === 0 || names.includes(s.name))) {
      const disk = (): PartitionedDisk | undefined => {
        const attached = this.attached.find((d) => d.spec.name === spec.name);
        return attached && { ...attached, name: spec.name, sizeBytes: spec.sizeBytes };
      };
      tables.set(spec.name, await this.partitions.reread(disk, devDir));
    }
    return tables;
  }

  /** Detaches every loop device, partitions first; the kernel finishes once the last user has closed it. */
  async detach(): Promise<void> {
    const devices = this.attached.map((disk) => disk.loopDevice);
    this.attached = [];
    await this.partitions.detachAll();
    for (const device of devices) await detachLoop(device);
  }

  /** For process-exit hooks, where nothing asynchronous can run. */
  detachNow(): void {
    this.partitions.detachNow();
    for (const disk of this.attached) detachLoopNow(disk.loopDevice);
    this.attached = [];
  }
}

/** Lines for boot-host.sh: `<name> <major> <minor> <loop name>`. */
export function diskTable(disks: readonly AttachedDisk[]): string {
  return disks
    .map((d) => `${d.spec.name} ${d.major} ${d.minor} ${d.loopDevice.replace('/dev/', '')}\n`)
    .join('');
}

/** The udev database record lsblk reads for WWN, serial and model. */
export function udevRecord(disk: AttachedDisk): { fileName: string; content: string } {
  const { wwn, serial, model } = disk.spec;
  const content = [
    'I:1',
    `E:ID_WWN=${wwn}`,
    `E:ID_WWN_WITH_EXTENSION=${wwn}`,
    `E:ID_SERIAL_SHORT=${serial}`,
    `E:ID_SERIAL=${model}_${serial}`,
    `E:ID_MODEL=${model}`,
    '',
  ].join('\n');
  return { fileName: `b${disk.major}:${disk.minor}`, content };
}

function withIdentity(hostName: string, spec: DiskSpec): Required<DiskSpec> {
  if (!diskName.test(spec.name))
    throw new Error(`disk name ${JSON.stringify(spec.name)} must match ${diskName}`);
  if (!Number.isSafeInteger(spec.sizeBytes) || spec.sizeBytes < 1024 * 1024 || spec.sizeBytes % 512 !== 0) {
    throw new Error(`disk ${spec.name}: sizeBytes must be a multiple of 512 and at least 1 MiB`);
  }
  const digest = createHash('sha256').update(`${hostName}/${spec.name}`).digest('hex');
  return {
    name: spec.name,
    sizeBytes: spec.sizeBytes,
    wwn: spec.wwn ?? `0x5000c500${digest.slice(0, 8)}`,
    serial: spec.serial ?? `SIM${digest.slice(8, 18).toUpperCase()}`,
    model: spec.model ?? 'IMAGEURL_SIM_DISK',
  };
}
