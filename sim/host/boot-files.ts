/** @module The boot folder boot-host.sh turns into a booted system: keys, sshd config, disks. */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { diskTable, udevRecord, type AttachedDisk } from './host-disks.js';
import { renderSshdConfig } from './sshd-config.js';
import { sha512Crypt } from './sha512-crypt.js';
import type { SshKeyPair } from './ssh-keys.js';

/** What a booted system is told: who it is and who may log in. */
export interface BootOptions {
  /** `rescue` for the rescue system; the installed OS uses its own. */
  readonly hostname: string;
  /** `authorized_keys` lines for root. */
  readonly authorizedKeys: readonly string[];
  /**
   * Files the booted system finds in `/run/imageurl-system/` (e.g. the installed OS's
   * bootstrap data); names are plain file names.
   */
  readonly files?: Readonly<Record<string, string | Buffer>>;
  /**
   * Lets root also log in with this password (Hetzner's rescue systems return one); the system
   * gets its own /etc/shadow for it. Without it, root logs in by key only.
   */
  readonly rootPassword?: string;
  /** The host key to present, when it was decided before the boot; else a fresh one per boot. */
  readonly hostKey?: SshKeyPair;
}

export interface BootFilesOptions extends BootOptions {
  readonly address: string;
  readonly port: number;
  readonly disks: readonly AttachedDisk[];
}

/** Writes a fresh boot folder (replacing the previous boot's); secrets are root-only files. */
export async function writeBootFiles(
  bootDir: string,
  options: BootFilesOptions,
  hostKey: string,
): Promise<void> {
  await rm(bootDir, { recursive: true, force: true });
  await mkdir(join(bootDir, 'udev'), { recursive: true, mode: 0o700 });
  await writeFile(join(bootDir, 'ssh_host_ed25519_key'), hostKey, { mode: 0o600 });
  await writeFile(
    join(bootDir, 'authorized_keys'),
    options.authorizedKeys.map((k) => `${k.trim()}\n`).join(''),
    { mode: 0o600 },
  );
  await writeFile(
    join(bootDir, 'sshd_config'),
    renderSshdConfig({
      address: options.address,
      port: options.port,
      // boot-host.sh copies the boot folder to /run/imageurl-boot inside the booted system.
      hostKeyPath: '/run/imageurl-boot/ssh_host_ed25519_key',
      passwordLogin: options.rootPassword !== undefined,
    }),
  );
  if (options.rootPassword !== undefined) {
    const shadow = `root:${sha512Crypt(options.rootPassword)}:20000:0:99999:7:::\n`;
    await writeFile(join(bootDir, 'shadow'), shadow, { mode: 0o600 });
  }
  await writeFile(join(bootDir, 'disks'), diskTable(options.disks));
  await writeSystemFiles(join(bootDir, 'files'), options.files ?? {});
  for (const disk of options.disks) {
    const record = udevRecord(disk);
    await writeFile(join(bootDir, 'udev', record.fileName), record.content);
  }
}

async function writeSystemFiles(
  dir: string,
  files: Readonly<Record<string, string | Buffer>>,
): Promise<void> {
  await mkdir(dir, { mode: 0o700 });
  for (const [name, content] of Object.entries(files)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name))
      throw new Error(`system file name ${JSON.stringify(name)} must be a plain file name`);
    await writeFile(join(dir, name), content, { mode: 0o600 });
  }
}
