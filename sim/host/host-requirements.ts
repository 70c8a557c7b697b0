import { accessSync, constants } from 'node:fs';

/** The programs a simulated server host runs, by absolute path (sshd insists on one). */
export const hostPrograms = {
  sshd: '/usr/sbin/sshd',
  unshare: '/usr/bin/unshare',
  losetup: '/usr/sbin/losetup',
  sfdisk: '/usr/sbin/sfdisk',
  blockdev: '/usr/sbin/blockdev',
  mknod: '/usr/bin/mknod',
} as const;

export class HostRequirementError extends Error {
  readonly code = 'HOST_REQUIREMENTS_MISSING';
}

/**
 * Simulated servers need root: loop devices, device nodes and mount/PID namespaces all require
 * CAP_SYS_ADMIN in the initial namespace (unprivileged user namespaces cannot attach loop
 * devices). Fails with one message that lists everything missing and how to get it.
 */
export function checkHostRequirements(): void {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) {
    problems.push('must run as root (loop devices, mknod and mount/PID namespaces need CAP_SYS_ADMIN)');
  }
  const packages: Record<keyof typeof hostPrograms, string> = {
    sshd: 'openssh-server',
    unshare: 'util-linux',
    losetup: 'mount',
    sfdisk: 'fdisk',
    blockdev: 'util-linux',
    mknod: 'coreutils',
  };
  for (const [name, path] of Object.entries(hostPrograms)) {
    try {
      accessSync(path, constants.X_OK);
    } catch {
      problems.push(`${path} not found (Debian package ${packages[name as keyof typeof hostPrograms]})`);
    }
  }
  if (problems.length > 0) {
    throw new HostRequirementError(
      `simulated servers cannot start: ${problems.join('; ')}. Run 'npm run setup' as root.`,
    );
  }
}
