import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, posix } from 'node:path';

/**
 * Folders of a booted simulated system that are its own (boot-host.sh: /etc is an overlay over
 * the machine's, /run, /tmp and /root are fresh tmpfs): only there may files be written from
 * outside, so nothing lands on the machine that runs the simulator.
 */
const privateFolders = ['/etc/', '/run/', '/tmp/', '/root/'];

/**
 * Writes a file into the booted system whose root is `systemRoot` (`/proc/<pid>/root`), as
 * cloud-init's write_files would; false (and nothing written) for a path outside the system's
 * private folders.
 */
export async function writeNodeFile(
  systemRoot: string,
  path: string,
  content: string | Buffer,
  permissions = '0644',
): Promise<boolean> {
  const normal = posix.normalize(path);
  if (!privateFolders.some((folder) => normal.startsWith(folder))) return false;
  if (await crossesSymlink(systemRoot, normal)) return false;
  const target = join(systemRoot, normal);
  await mkdir(dirname(target), { recursive: true, mode: 0o755 });
  await writeFile(target, content, { mode: Number.parseInt(permissions, 8) & 0o777 });
  return true;
}

/**
 * An absolute symlink inside the system would be followed from our root, not the system's (e.g.
 * /etc/localtime → /usr/share/zoneinfo/…): such paths are never written.
 */
async function crossesSymlink(systemRoot: string, path: string): Promise<boolean> {
  let current = systemRoot;
  for (const part of path.split('/').filter((p) => p !== '')) {
    current = join(current, part);
    const stat = await lstat(current).catch(() => undefined);
    if (stat === undefined) return false;
    if (stat.isSymbolicLink()) return true;
  }
  return false;
}
