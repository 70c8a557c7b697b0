/**
 * @module What an image-url-command left on a simulated server's disk, read from the disk's
 * file after the system is powered off: the partition table, each partition's filesystem and
 * label, an EFI system partition and boot loaders, and where the bootstrap data went (the
 * simulated OS's region, a cloud-init NoCloud seed, Ignition). Nothing is mounted.
 */
import { open, stat } from 'node:fs/promises';
import { decodeHeader, headerBytes } from '../os-image/format.js';
import {
  extDirectory,
  extHas,
  fatPaths,
  probeFilesystem,
  type ByteRange,
  type FilesystemFacts,
} from './filesystem-probe.js';
import { partitionNodeName } from './partition-loops.js';
import { readPartitionTable, type PartitionExtent } from './partition-table.js';

export type { FilesystemFacts } from './filesystem-probe.js';

export interface PartitionContents extends PartitionExtent {
  /** The server's node name: `sda1`, `nvme0n1p2`. */
  readonly node: string;
  /** An EFI system partition by its type (GPT C12A7328-…, MBR `ef`). */
  readonly esp: boolean;
  readonly filesystem?: FilesystemFacts;
}

export type BootstrapPlacementKind =
  'sim-os-region' | 'nocloud-seed-partition' | 'nocloud-seed-directory' | 'ignition';

export interface BootstrapPlacement {
  readonly kind: BootstrapPlacementKind;
  /** Where: `sda2 (vfat CIDATA)`, `sda1:/var/lib/cloud/seed/nocloud`, `sda (bytes 1048576…)`. */
  readonly where: string;
  /** The files found there (a seed's `user-data`, `meta-data`), or the bytes written. */
  readonly files: readonly string[];
}

export interface DiskContents {
  readonly name: string;
  readonly sizeBytes: number;
  /** Bytes the disk's file occupies: what was written, as the file is sparse. */
  readonly usedBytes: number;
  /** `gpt`, `dos`, or `none`. */
  readonly partitionTable: string;
  readonly partitions: readonly PartitionContents[];
  /** A filesystem on the whole disk (no partition table). */
  readonly wholeDisk?: FilesystemFacts;
  /** The simulated OS image's name, when the disk holds one (docs/sim-os-image.md). */
  readonly simOsImage?: string;
  /** Boot loaders found: `BIOS boot code in the MBR`, `UEFI /EFI/BOOT/BOOTX64.EFI on sda1`. */
  readonly bootLoaders: readonly string[];
  readonly bootstrapData: readonly BootstrapPlacement[];
}

const ESP_TYPES = new Set(['C12A7328-F81F-11D2-BA4B-00A0C93EC93B', 'EF']);
const BIOS_BOOT_TYPE = '21686148-6449-6E6F-744E-656564454649';
const SEED_LABELS = new Set(['cidata', 'CIDATA']);

/** Reads one disk's file (`name` is the server's name for the disk, e.g. `sda`). */
export async function readDiskContents(name: string, file: string, sizeBytes: number): Promise<DiskContents> {
  const usedBytes = (await stat(file)).blocks * 512;
  const head = await readBytes(file, 0, headerBytes);
  const table = await readPartitionTable(file, sizeBytes);
  const partitions = await Promise.all(
    table.partitions.map((extent) => partitionContents(name, file, extent)),
  );
  const wholeDisk =
    table.label === 'none' ? await probeFilesystem({ file, offsetBytes: 0, sizeBytes }) : undefined;
  const simOs = simOsImageOf(head);
  const bootstrapData = [
    ...(simOs ? await simOsRegion(name, file, simOs.region) : []),
    ...(await Promise.all(partitions.map((partition) => bootstrapIn(file, partition)))).flat(),
  ];
  return {
    name,
    sizeBytes,
    usedBytes,
    partitionTable: table.label,
    partitions,
    ...(wholeDisk ? { wholeDisk } : {}),
    ...(simOs ? { simOsImage: simOs.name } : {}),
    bootLoaders: simOs ? [] : await bootLoadersOf(file, head, partitions),
    bootstrapData,
  };
}

async function partitionContents(
  disk: string,
  file: string,
  extent: PartitionExtent,
): Promise<PartitionContents> {
  const filesystem = await probeFilesystem({ file, ...extent });
  return {
    ...extent,
    node: partitionNodeName(disk, extent.number),
    esp: ESP_TYPES.has((extent.type ?? '').toUpperCase()),
    ...(filesystem ? { filesystem } : {}),
  };
}

function simOsImageOf(head: Buffer): { name: string; region: { offset: number; size: number } } | undefined {
  try {
    const descriptor = decodeHeader(head);
    return { name: descriptor.name, region: descriptor.bootstrapData };
  } catch {
    return undefined;
  }
}

/** The simulated OS's bootstrap region holds NUL-terminated data; empty means nothing was placed. */
async function simOsRegion(
  disk: string,
  file: string,
  region: { offset: number; size: number },
): Promise<BootstrapPlacement[]> {
  const bytes = await readBytes(file, region.offset, region.size);
  const end = bytes.indexOf(0);
  const length = end === -1 ? bytes.length : end;
  if (length === 0) return [];
  const where = `${disk} (simulated OS region at byte ${String(region.offset)})`;
  return [{ kind: 'sim-os-region', where, files: [`${String(length)} bytes`] }];
}

async function bootstrapIn(file: string, partition: PartitionContents): Promise<BootstrapPlacement[]> {
  const fs = partition.filesystem;
  if (fs === undefined) return [];
  const range: ByteRange = { file, ...partition };
  const where = `${partition.node} (${fs.type}${fs.label === undefined ? '' : ` ${fs.label}`})`;
  if (SEED_LABELS.has(fs.label ?? '') && (fs.type === 'vfat' || fs.type === 'iso9660')) {
    const files = fs.type === 'vfat' ? await fatPaths(range) : [];
    return [{ kind: 'nocloud-seed-partition', where, files: files.map((path) => path.slice(1)) }];
  }
  if (fs.type === 'vfat') {
    const paths = await fatPaths(range);
    return ignitionFiles(fs.label, where, (path) => Promise.resolve(paths.includes(path)));
  }
  if (!/^ext[234]$/.test(fs.type)) return [];
  const ignition = await ignitionFiles(fs.label, where, (path) => extHas(range, path));
  return [...(await nocloudDirectories(range, partition.node)), ...ignition];
}

/** cloud-init's seed directories on a root filesystem: `/var/lib/cloud/seed/nocloud*`. */
async function nocloudDirectories(range: ByteRange, node: string): Promise<BootstrapPlacement[]> {
  const seeds = (await extDirectory(range, '/var/lib/cloud/seed')) ?? [];
  return Promise.all(
    seeds
      .filter((entry) => entry.startsWith('nocloud'))
      .map(async (entry): Promise<BootstrapPlacement> => {
        const path = `/var/lib/cloud/seed/${entry}`;
        const files = (await extDirectory(range, path)) ?? [];
        return { kind: 'nocloud-seed-directory', where: `${node}:${path}`, files };
      }),
  );
}

/** Fedora CoreOS reads `ignition/config.ign` on `boot`; Flatcar reads `config.ign` on `OEM`. */
async function ignitionFiles(
  label: string | undefined,
  where: string,
  has: (path: string) => Promise<boolean>,
): Promise<BootstrapPlacement[]> {
  const path = label === 'boot' ? '/ignition/config.ign' : label === 'OEM' ? '/config.ign' : undefined;
  if (path === undefined || !(await has(path))) return [];
  return [{ kind: 'ignition', where, files: [path.slice(1)] }];
}

async function bootLoadersOf(
  file: string,
  head: Buffer,
  partitions: readonly PartitionContents[],
): Promise<string[]> {
  const found: string[] = [];
  const bootCode = head.subarray(0, 440);
  if (bootCode.some((byte) => byte !== 0)) {
    found.push(bootCode.includes('GRUB') ? 'GRUB boot code in the MBR' : 'BIOS boot code in the MBR');
  }
  for (const partition of partitions) {
    if ((partition.type ?? '').toUpperCase() === BIOS_BOOT_TYPE)
      found.push(`BIOS boot partition ${partition.node}`);
    if (!partition.esp || partition.filesystem?.type !== 'vfat') continue;
    const loaders = (await fatPaths({ file, ...partition })).filter((path) => /^\/EFI\/.+\.EFI$/i.test(path));
    found.push(...loaders.map((path) => `UEFI ${path} on ${partition.node}`));
  }
  return found;
}

async function readBytes(file: string, offset: number, length: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, offset);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
