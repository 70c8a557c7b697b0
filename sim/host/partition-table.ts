/**
 * @module Reads a simulated disk's partition table the way the kernel would present it: one
 * byte range per partition, for the loop devices that stand in for `/dev/sda1`, `/dev/sda2`, …
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { hostPrograms } from './host-requirements.js';

const run = promisify(execFile);

export interface PartitionExtent {
  /** The partition number, as in `/dev/sda<number>`. */
  readonly number: number;
  readonly offsetBytes: number;
  readonly sizeBytes: number;
  /** The partition type as sfdisk prints it: a GPT type GUID, or an MBR type in hex (`ef`). */
  readonly type?: string;
  /** The GPT partition name, when it has one. */
  readonly name?: string;
}

export interface PartitionTable {
  /** `gpt`, `dos`, …; `none` when the disk holds no recognised table. */
  readonly label: string;
  readonly partitions: readonly PartitionExtent[];
}

interface SfdiskJson {
  readonly partitiontable?: {
    readonly label?: string;
    readonly device?: string;
    readonly sectorsize?: number;
    readonly partitions?: readonly SfdiskEntry[];
  };
}

interface SfdiskEntry {
  readonly node: string;
  readonly start: number;
  readonly size: number;
  readonly type?: string;
  readonly name?: string;
}

/** MBR types of extended partitions, which the kernel shows as 1 KiB stubs. */
const extendedTypes = new Set(['5', 'f', '85']);

/**
 * The partitions `sfdisk --json` reports for `device`, clipped to the disk as the kernel clips
 * them (a partition starting beyond the end is left out, one reaching past it is truncated).
 *
 * @example
 * parseSfdiskJson(stdout, 64 * 1024 * 1024) // { label: 'gpt', partitions: [{ number: 1, … }] }
 */
export function parseSfdiskJson(json: string, diskBytes: number): PartitionTable {
  const table = (JSON.parse(json) as SfdiskJson).partitiontable;
  if (!table?.device) throw new Error('sfdisk printed no partition table');
  const disk = { device: table.device, sector: table.sectorsize ?? 512, bytes: diskBytes };
  const label = table.label ?? 'unknown';
  const partitions = (table.partitions ?? [])
    .map((entry) => extentOf(entry, disk, label === 'dos' && extendedTypes.has(entry.type ?? '')))
    .filter((extent) => extent !== undefined);
  return { label, partitions: partitions.sort((a, b) => a.number - b.number) };
}

function extentOf(
  entry: SfdiskEntry,
  disk: { device: string; sector: number; bytes: number },
  extended: boolean,
): PartitionExtent | undefined {
  const number = Number(/(\d+)$/.exec(entry.node.slice(disk.device.length))?.[1]);
  const offsetBytes = entry.start * disk.sector;
  if (!Number.isSafeInteger(number) || number < 1 || offsetBytes >= disk.bytes) return undefined;
  const sizeBytes = Math.min(entry.size * disk.sector, disk.bytes - offsetBytes);
  // The kernel shows an extended partition as a stub (1 KiB) so nothing formats it by mistake.
  return {
    number,
    offsetBytes,
    sizeBytes: extended ? Math.min(sizeBytes, Math.max(disk.sector, 1024)) : sizeBytes,
    ...(entry.type === undefined ? {} : { type: entry.type }),
    ...(entry.name === undefined ? {} : { name: entry.name }),
  };
}

/** Reads the partition table of a block device (a disk's loop device) with sfdisk. */
export async function readPartitionTable(device: string, diskBytes: number): Promise<PartitionTable> {
  try {
    const { stdout } = await run(hostPrograms.sfdisk, ['--json', device]);
    return parseSfdiskJson(stdout, diskBytes);
  } catch (error) {
    const stderr = (error as { stderr?: unknown }).stderr;
    if (typeof stderr === 'string' && stderr.includes('does not contain a recognized partition table'))
      return { label: 'none', partitions: [] };
    throw new Error(`reading the partition table of ${device} failed: ${String(stderr ?? error)}`, {
      cause: error,
    });
  }
}
