/**
 * @module GPT disk images like real cloud images (an ext4 root filesystem, optionally a cloud-init
 * seed partition), built on plain files: no loop device, mount or partition node on the machine.
 * Filesystems are made in files of their own (`mkfs.ext4 -d`, `mkfs.vfat -C`, bsdtar's iso9660
 * writer) and copied to their partition's offset; sgdisk writes the table. Readers look inside
 * the written disk the same way (debugfs, mtools, bsdtar on byte ranges).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, open, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parseSfdiskJson, type PartitionExtent } from '../../sim/host/partition-table.js';

const run = promisify(execFile);
const MiB = 1024 * 1024;

/** Files by path relative to the filesystem's root; a path ending in `/` is an empty directory. */
export type FileTree = Readonly<Record<string, string>>;

export interface PartitionedImageSpec {
  readonly path: string;
  /** Partition 1: ext4, 16 MiB, label `root`. */
  readonly root: FileTree;
  /** Partition 2, 4 MiB, when given: a vfat or iso9660 filesystem with this label and files. */
  readonly seed?: { readonly type: 'vfat' | 'iso9660'; readonly label: string; readonly files?: FileTree };
}

export interface PartitionedImage {
  readonly path: string;
  readonly partitions: readonly PartitionExtent[];
}

/** Writes the image; the disk ends right after the last partition (and GPT's backup table). */
export async function buildPartitionedImage(spec: PartitionedImageSpec): Promise<PartitionedImage> {
  const work = `${spec.path}.parts`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    const sizeBytes = (spec.seed ? 22 : 18) * MiB;
    await rm(spec.path, { force: true });
    await truncate(await touch(spec.path), sizeBytes);
    const sgdisk = ['-n1:2048:+16M', '-t1:8300', '-c1:root'];
    if (spec.seed) sgdisk.push('-n2:0:+4M', '-t2:0700', '-c2:seed');
    await run('sgdisk', [...sgdisk, spec.path]);
    const { stdout } = await run('sfdisk', ['--json', spec.path]);
    const { partitions } = parseSfdiskJson(stdout, sizeBytes);
    const [rootPart, seedPart] = partitions;
    if (!rootPart) throw new Error('sgdisk made no root partition');
    await copyInto(spec.path, rootPart, await ext4(join(work, 'root'), spec.root, rootPart.sizeBytes));
    if (spec.seed && seedPart) {
      const files = spec.seed.files ?? {};
      const fs =
        spec.seed.type === 'vfat'
          ? await vfat(join(work, 'seed'), spec.seed.label, files, seedPart.sizeBytes)
          : await iso9660(join(work, 'seed'), spec.seed.label, files);
      await copyInto(spec.path, seedPart, fs);
    }
    return { path: spec.path, partitions };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** A file of an ext4 filesystem inside the disk, or undefined when it does not exist. */
export async function readExt4File(
  disk: string,
  partition: PartitionExtent,
  path: string,
): Promise<string | undefined> {
  const { stdout, stderr } = await run('debugfs', ['-R', `cat ${path}`, fsAt(disk, partition)]);
  return /File not found|not found by ext2_lookup/.test(stderr) ? undefined : stdout;
}

/** Mode bits (octal, e.g. `0600`) of a path in an ext4 filesystem inside the disk. */
export async function ext4Mode(
  disk: string,
  partition: PartitionExtent,
  path: string,
): Promise<string | undefined> {
  const { stdout } = await run('debugfs', ['-R', `stat ${path}`, fsAt(disk, partition)]);
  return /Mode:\s+(\d+)/.exec(stdout)?.[1];
}

/** A file of a FAT filesystem inside the disk (mtools), or undefined when it does not exist. */
export async function readVfatFile(
  disk: string,
  partition: PartitionExtent,
  name: string,
): Promise<string | undefined> {
  const result = await run('mcopy', ['-n', '-i', `${disk}@@${partition.offsetBytes}`, `::${name}`, '-'], {
    env: { ...process.env, MTOOLS_SKIP_CHECK: '1' },
  }).catch(() => undefined);
  return result?.stdout;
}

/** A file of an iso9660 filesystem inside the disk (bsdtar reads the partition's bytes). */
export async function readIsoFile(disk: string, partition: PartitionExtent, name: string): Promise<string> {
  const file = await open(disk, 'r');
  const bytes = Buffer.alloc(partition.sizeBytes);
  try {
    await file.read(bytes, 0, bytes.length, partition.offsetBytes);
  } finally {
    await file.close();
  }
  return new Promise((resolve, reject) => {
    const child = spawn('bsdtar', ['-xOf', '-', name], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString());
      else reject(new Error(`bsdtar: ${Buffer.concat(err).toString()}`));
    });
    child.stdin.on('error', () => undefined); // bsdtar may stop reading once it has the file
    child.stdin.end(bytes);
  });
}

function fsAt(disk: string, partition: PartitionExtent): string {
  return `${disk}?offset=${partition.offsetBytes}`; // e2fsprogs' unix I/O option
}

async function writeTree(dir: string, files: FileTree): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const target = join(dir, path);
    if (path.endsWith('/')) {
      await mkdir(target, { recursive: true });
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

async function ext4(base: string, files: FileTree, sizeBytes: number): Promise<string> {
  await writeTree(`${base}.tree`, files);
  await truncate(await touch(`${base}.ext4`), sizeBytes);
  await run('mkfs.ext4', ['-q', '-F', '-L', 'root', '-d', `${base}.tree`, `${base}.ext4`]);
  return `${base}.ext4`;
}

async function vfat(base: string, label: string, files: FileTree, sizeBytes: number): Promise<string> {
  await run('mkfs.vfat', ['-n', label, '-C', `${base}.vfat`, String(sizeBytes / 1024)]);
  for (const [name, content] of Object.entries(files)) {
    await writeFile(`${base}.${name}`, content);
    await run('mcopy', ['-i', `${base}.vfat`, `${base}.${name}`, `::${name}`]);
  }
  return `${base}.vfat`;
}

async function iso9660(base: string, label: string, files: FileTree): Promise<string> {
  await writeTree(`${base}.tree`, files);
  const options = `iso9660:volume-id=${label},iso9660:rockridge,iso9660:joliet`;
  await run('bsdtar', [
    '-cf',
    `${base}.iso`,
    '--format',
    'iso9660',
    '--options',
    options,
    '-C',
    `${base}.tree`,
    '.',
  ]);
  return `${base}.iso`;
}

/** Copies a filesystem file to the partition's offset (never past the partition). */
async function copyInto(disk: string, partition: PartitionExtent, fsFile: string): Promise<void> {
  const data = await readFile(fsFile);
  if (data.length > partition.sizeBytes)
    throw new Error(`${fsFile} does not fit partition ${partition.number}`);
  const file = await open(disk, 'r+');
  try {
    await file.write(data, 0, data.length, partition.offsetBytes);
  } finally {
    await file.close();
  }
}

async function touch(path: string): Promise<string> {
  await (await open(path, 'a')).close();
  return path;
}
