/**
 * @module Partition device nodes for simulated servers. This machine's kernel makes no
 * partitions on loop devices, so the host gives a booted system one loop device per partition
 * (over the disk's file, at the partition's offset, `--sizelimit` its size) and a node such as
 * `/dev/sda1` for it in the system's private /dev, whenever the system runs `partprobe`.
 */
import { constants } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { hostPrograms } from './host-requirements.js';
import { attachLoop, detachLoop, detachLoopNow, type LoopDevice } from './loop-devices.js';
import { readPartitionTable, type PartitionExtent, type PartitionTable } from './partition-table.js';

const run = promisify(execFile);

/** What the host needs to know of an attached disk. */
export interface PartitionedDisk {
  /** The server's name for it: `sda`, `nvme0n1`. */
  readonly name: string;
  readonly sizeBytes: number;
  readonly imagePath: string;
  readonly loopDevice: string;
}

export interface AttachedPartition extends PartitionExtent, LoopDevice {
  /** The node name in the system's /dev: `sda1`, `nvme0n1p1`. */
  readonly nodeName: string;
}

export class PartitionInUseError extends Error {
  readonly code = 'PARTITION_IN_USE';
}

/** `sda` + 1 → `sda1`; names ending in a digit take a `p`, as the kernel names them (`nvme0n1p1`). */
export function partitionNodeName(disk: string, number: number): string {
  return /\d$/.test(disk) ? `${disk}p${number}` : `${disk}${number}`;
}

/** The partition loop devices of one host's disks; one operation at a time. */
export class PartitionLoops {
  private readonly byDisk = new Map<string, AttachedPartition[]>();
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * Reads the disk's partition table (`disk()` is looked up once it is this call's turn, so a
   * system that was powered off meanwhile gets no loops) and makes the system's nodes in `devDir`
   * match it: partitions that moved, shrank or went away lose their loop and node (refused while
   * one is mounted or otherwise held exclusively, as the kernel refuses), new ones get both.
   */
  reread(disk: () => PartitionedDisk | undefined, devDir: string): Promise<PartitionTable> {
    return this.serialized(async () => {
      const current = disk();
      if (!current) throw new Error('the disk is not attached (the system is off)');
      return this.apply(current, devDir);
    });
  }

  /** Detaches every partition loop device (the system ended; its /dev went with it). */
  detachAll(): Promise<void> {
    return this.serialized(async () => {
      const all = [...this.byDisk.values()].flat();
      this.byDisk.clear();
      for (const partition of all) await detachLoop(partition.loopDevice);
    });
  }

  /** For process-exit hooks. */
  detachNow(): void {
    for (const partition of [...this.byDisk.values()].flat()) detachLoopNow(partition.loopDevice);
    this.byDisk.clear();
  }

  /** The partitions the system has nodes for, by disk (for tests and diagnostics). */
  attached(diskName: string): readonly AttachedPartition[] {
    return this.byDisk.get(diskName) ?? [];
  }

  private async apply(disk: PartitionedDisk, devDir: string): Promise<PartitionTable> {
    // Whatever the system wrote through the disk's node reaches the file the partitions read.
    await run(hostPrograms.blockdev, ['--flushbufs', disk.loopDevice]);
    const table = await readPartitionTable(disk.loopDevice, disk.sizeBytes);
    const before = this.byDisk.get(disk.name) ?? [];
    const unchanged = (p: AttachedPartition): boolean =>
      table.partitions.some(
        (e) => e.number === p.number && e.offsetBytes === p.offsetBytes && e.sizeBytes === p.sizeBytes,
      );
    const gone = before.filter((p) => !unchanged(p));
    await refuseIfInUse(disk.name, gone);
    const kept = before.filter(unchanged);
    this.byDisk.set(disk.name, kept);
    for (const partition of gone) {
      await rm(join(devDir, partition.nodeName), { force: true });
      await detachLoop(partition.loopDevice);
    }
    for (const extent of table.partitions.filter((e) => !kept.some((p) => p.number === e.number))) {
      const loop = await attachLoop(disk.imagePath, extent);
      kept.push({ ...extent, ...loop, nodeName: partitionNodeName(disk.name, extent.number) });
    }
    kept.sort((a, b) => a.number - b.number);
    for (const partition of kept) await makeNode(devDir, partition);
    return table;
  }

  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** A partition that is mounted (or held with O_EXCL) cannot be replaced, as with the kernel's BLKPG. */
async function refuseIfInUse(disk: string, partitions: readonly AttachedPartition[]): Promise<void> {
  const busy: string[] = [];
  for (const partition of partitions) {
    try {
      await (await open(partition.loopDevice, constants.O_RDONLY | constants.O_EXCL)).close();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EBUSY') busy.push(partition.nodeName);
    }
  }
  if (busy.length > 0)
    throw new PartitionInUseError(
      `partition(s) ${busy.join(', ')} of /dev/${disk} changed but are in use (mounted?); unmount them and run partprobe again`,
    );
}

/** Creates or replaces the block device node, atomically (a new node renamed over the old one). */
async function makeNode(devDir: string, partition: AttachedPartition): Promise<void> {
  const node = join(devDir, partition.nodeName);
  const fresh = join(devDir, `.${partition.nodeName}.new`);
  await rm(fresh, { force: true });
  const numbers = [String(partition.major), String(partition.minor)];
  await run(hostPrograms.mknod, ['-m', '0660', fresh, 'b', ...numbers]);
  await rename(fresh, node);
}
