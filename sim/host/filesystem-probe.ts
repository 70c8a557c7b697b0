/**
 * @module Looks into a byte range of a disk image without mounting it: which filesystem is
 * there (blkid's low-level probe of the superblock), and which files it holds (mtools for FAT,
 * debugfs for ext2/3/4). Read-only; every program gets the file and an offset as arguments.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The programs, by absolute path; Debian packages util-linux, mtools and e2fsprogs. */
const programs = { blkid: '/usr/sbin/blkid', mdir: '/usr/bin/mdir', debugfs: '/usr/sbin/debugfs' } as const;

/** A byte range of a disk image: a partition, or the whole disk. */
export interface ByteRange {
  readonly file: string;
  readonly offsetBytes: number;
  readonly sizeBytes: number;
}

export interface FilesystemFacts {
  /** As blkid names it: `vfat`, `ext4`, `iso9660`, `xfs`, `btrfs`, `swap`, … */
  readonly type: string;
  readonly label?: string;
  readonly uuid?: string;
}

/** The filesystem in the range, or undefined when blkid recognises none. */
export async function probeFilesystem(range: ByteRange): Promise<FilesystemFacts | undefined> {
  const args = [
    '-p',
    '-o',
    'export',
    '-O',
    String(range.offsetBytes),
    '-S',
    String(range.sizeBytes),
    range.file,
  ];
  const stdout = await run(programs.blkid, args).then(
    (result) => result.stdout,
    // blkid exits 2 when it finds nothing.
    () => '',
  );
  const values = new Map(
    stdout
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );
  const type = values.get('TYPE');
  if (type === undefined) return undefined;
  const label = values.get('LABEL') ?? values.get('LABEL_FATBOOT');
  const uuid = values.get('UUID');
  return { type, ...(label === undefined ? {} : { label }), ...(uuid === undefined ? {} : { uuid }) };
}

/** At most this many paths of one filesystem are listed. */
const MAX_PATHS = 200;

/** Every path of a FAT filesystem (`/EFI/BOOT/BOOTX64.EFI`), directories included. */
export async function fatPaths(range: ByteRange): Promise<readonly string[]> {
  const image = `${range.file}@@${String(range.offsetBytes)}`;
  const stdout = await run(programs.mdir, ['-/', '-b', '-i', image, '::/']).then(
    (result) => result.stdout,
    () => '',
  );
  return stdout
    .split('\n')
    .map((line) => line.trim().replace(/^::/, ''))
    .filter((path) => path.startsWith('/'))
    .slice(0, MAX_PATHS);
}

/** The entries of a directory of an ext2/3/4 filesystem, or undefined when it is not there. */
export async function extDirectory(range: ByteRange, path: string): Promise<readonly string[] | undefined> {
  const device = `${range.file}?offset=${String(range.offsetBytes)}`;
  const { stdout, stderr } = await run(programs.debugfs, ['-R', `ls -p ${path}`, device]).catch(
    (error: unknown) => error as { stdout: string; stderr: string },
  );
  if (/not found|File not found/i.test(stderr) || stdout.trim() === '') return undefined;
  // `ls -p`: /inode/mode/uid/gid/name/size/
  return stdout
    .split('\n')
    .map((line) => line.split('/')[5] ?? '')
    .filter((name) => name !== '' && name !== '.' && name !== '..')
    .slice(0, MAX_PATHS);
}

/** Whether a path exists in an ext2/3/4 filesystem. */
export async function extHas(range: ByteRange, path: string): Promise<boolean> {
  const device = `${range.file}?offset=${String(range.offsetBytes)}`;
  const { stdout } = await run(programs.debugfs, ['-R', `stat ${path}`, device]).catch(
    (error: unknown) => error as { stdout: string },
  );
  return stdout.includes('Inode:');
}
