import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessGroup } from '../process/process-group.js';
import type { SupervisedProcess } from '../process/supervised-process.js';
import { waitFor } from '../process/wait-for.js';
import { HostDisks, diskTable, udevRecord, type DiskSpec } from './host-disks.js';
import { checkHostRequirements, hostPrograms } from './host-requirements.js';
import { renderSshdConfig } from './sshd-config.js';
import { sha512Crypt } from './sha512-crypt.js';
import { generateSshKeyPair } from './ssh-keys.js';

const bootScript = fileURLToPath(new URL('./boot-host.sh', import.meta.url));

export interface ServerHostOptions {
  /** Identifies the host in errors and derives disk identities; `[a-z0-9-]`. */
  readonly name: string;
  /** The loopback address the server's sshd listens on, e.g. from pickLoopbackAddress(). */
  readonly address: string;
  readonly port?: number;
  readonly disks: readonly DiskSpec[];
  /** Folder for this host's disks and per-boot files; not below /root, /run, /dev, /proc or /sys. */
  readonly stateDir: string;
  /** The environment's processes; hosts of one simulator share it. */
  readonly processes?: ProcessGroup;
  /**
   * Called when the booted system ends by itself: `reboot`/`poweroff` run inside it, or sshd
   * died (`crash`). Not called for powerOff()/boot() from outside. The owner decides what boots
   * next (a real server's firmware boots the disk, or rescue when it was activated).
   */
  readonly onSystemExit?: (exit: SystemExit) => void;
}

export interface SystemExit {
  readonly reason: 'reboot' | 'poweroff' | 'crash';
  readonly hostname: string;
  /** The system's last sshd output, for crash diagnostics. */
  readonly log: string;
}

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
}

export interface BootedSystem {
  readonly hostname: string;
  /** The fresh host key of this boot, `SHA256:…`. */
  readonly hostKeyFingerprint: string;
  readonly bootedAt: Date;
}

interface BootedProcess {
  readonly process: SupervisedProcess;
  readonly info: BootedSystem;
  /** PID 1 of the system's namespace, as seen from ours. */
  initPid: number | undefined;
}

/**
 * A simulated physical server: disks that persist, and while it is powered on, one booted system
 * (rescue or installed OS) that is a real OpenSSH server as PID 1 of its own PID, mount and UTS
 * namespaces. Powering off kills that PID namespace, so everything the system ran ends with it,
 * as on real hardware.
 */
export class ServerHost {
  readonly disks: HostDisks;
  readonly port: number;
  private readonly processes: ProcessGroup;
  private readonly ownsProcesses: boolean;
  private system: BootedProcess | undefined;
  private removeExitHook: (() => void) | undefined;

  constructor(private readonly options: ServerHostOptions) {
    if (!/^[a-z0-9-]{1,63}$/.test(options.name))
      throw new Error(`host name ${JSON.stringify(options.name)} must match [a-z0-9-]{1,63}`);
    if (/^\/(root|run|dev|proc|sys)(\/|$)/.test(options.stateDir)) {
      throw new Error(`host stateDir ${options.stateDir} must not be below /root, /run, /dev, /proc or /sys`);
    }
    this.port = options.port ?? 22;
    this.ownsProcesses = options.processes === undefined;
    this.processes = options.processes ?? new ProcessGroup();
    this.disks = new HostDisks(options.name, join(options.stateDir, 'disks'), options.disks);
  }

  get address(): string {
    return this.options.address;
  }

  get poweredOn(): boolean {
    return this.system?.process.running ?? false;
  }

  get booted(): BootedSystem | undefined {
    return this.poweredOn ? this.system?.info : undefined;
  }

  /** Powers the server on into a system; if it runs, it is powered off first (a hard reset). */
  async boot(options: BootOptions): Promise<BootedSystem> {
    checkHostRequirements();
    await this.powerOff();
    const bootDir = join(this.options.stateDir, 'boot');
    const controlDir = join(this.options.stateDir, 'control');
    await rm(controlDir, { recursive: true, force: true });
    await mkdir(controlDir, { recursive: true, mode: 0o700 });
    const hostKey = generateSshKeyPair(`${this.options.name}-host`);
    await this.writeBootFiles(bootDir, options, hostKey.privateKey);
    const process = this.processes.start({
      name: `sshd ${this.options.name} (${options.hostname})`,
      command: hostPrograms.unshare,
      args: [
        '--mount',
        '--uts',
        '--pid',
        '--fork',
        '--mount-proc',
        '--kill-child',
        bootScript,
        bootDir,
        options.hostname,
        controlDir,
      ],
    });
    const info = {
      hostname: options.hostname,
      hostKeyFingerprint: hostKey.fingerprint,
      bootedAt: new Date(),
    };
    const system: BootedProcess = { process, info, initPid: undefined };
    this.system = system;
    try {
      await process.waitForOutput(
        (text) => text.includes(`Server listening on ${this.address} port ${this.port}`),
        10_000,
      );
      system.initPid = await childPid(process);
    } catch (error) {
      await this.powerOff();
      throw error;
    }
    void process.waitForExit().then(() => this.systemEnded(system, controlDir));
    return info;
  }

  /** The booted system ended; unless we ended it (powerOff, boot), tell the owner why. */
  private async systemEnded(system: BootedProcess, controlDir: string): Promise<void> {
    if (this.system !== system) return;
    this.system = undefined;
    const request = (await readFile(join(controlDir, 'request'), 'utf8').catch(() => '')).trim();
    const reason = request === 'reboot' || request === 'poweroff' ? request : 'crash';
    await this.disks.detach();
    this.options.onSystemExit?.({
      reason,
      hostname: system.info.hostname,
      log: system.process.output.text(),
    });
  }

  /** Pulls the plug: every process of the booted system is killed, then the disks are detached. */
  async powerOff(): Promise<void> {
    const system = this.system;
    this.system = undefined;
    if (system) {
      // Killing the namespace's PID 1 makes the kernel kill the rest; the unshare parent then exits.
      if (system.initPid !== undefined) safeKill(system.initPid);
      await this.processes.stopMember(system.process, { graceMs: 0 });
    }
    await this.disks.detach();
    this.removeExitHook?.();
    this.removeExitHook = undefined;
  }

  /** Powers off and removes the host's disks and files. */
  async destroy(): Promise<void> {
    await this.powerOff();
    if (this.ownsProcesses) await this.processes.stopAll();
    await rm(this.options.stateDir, { recursive: true, force: true });
  }

  /**
   * Cuts every SSH connection of the booted system (sshd, PID 1, keeps listening): its
   * per-connection children are killed by pid, as a network blip would end them.
   */
  async dropConnections(): Promise<number> {
    const initPid = this.system?.initPid;
    if (initPid === undefined) return 0;
    const children = await readFile(`/proc/${initPid}/task/${initPid}/children`, 'utf8').catch(() => '');
    const pids = children
      .split(/\s+/)
      .filter((pid) => pid !== '')
      .map(Number);
    for (const pid of pids) safeKill(pid);
    return pids.length;
  }

  /** The sshd log of the current or last boot (for error messages). */
  log(): string {
    return this.system?.process.output.text() ?? '';
  }

  private async writeBootFiles(bootDir: string, options: BootOptions, hostKey: string): Promise<void> {
    await rm(bootDir, { recursive: true, force: true });
    await mkdir(join(bootDir, 'udev'), { recursive: true, mode: 0o700 });
    await this.disks.create();
    this.removeExitHook ??= this.processes.addExitHook(() => this.disks.detachNow());
    const attached = await this.disks.attach();
    await writeFile(join(bootDir, 'ssh_host_ed25519_key'), hostKey, { mode: 0o600 });
    // boot-host.sh copies the boot folder to this path inside the booted system.
    const hostKeyPath = '/run/imageurl-boot/ssh_host_ed25519_key';
    await writeFile(
      join(bootDir, 'authorized_keys'),
      options.authorizedKeys.map((k) => `${k.trim()}\n`).join(''),
      { mode: 0o600 },
    );
    await writeFile(
      join(bootDir, 'sshd_config'),
      renderSshdConfig({
        address: this.address,
        port: this.port,
        hostKeyPath,
        passwordLogin: options.rootPassword !== undefined,
      }),
    );
    if (options.rootPassword !== undefined)
      await writeFile(
        join(bootDir, 'shadow'),
        `root:${sha512Crypt(options.rootPassword)}:20000:0:99999:7:::\n`,
        {
          mode: 0o600,
        },
      );
    await writeFile(join(bootDir, 'disks'), diskTable(attached));
    await writeSystemFiles(join(bootDir, 'files'), options.files ?? {});
    for (const disk of attached) {
      const record = udevRecord(disk);
      await writeFile(join(bootDir, 'udev', record.fileName), record.content);
    }
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

/** The PID (in our namespace) of unshare's forked child, which is PID 1 of the new namespace. */
async function childPid(parent: SupervisedProcess): Promise<number | undefined> {
  const pid = parent.pid;
  if (pid === undefined) return undefined;
  return waitFor(
    async () => {
      const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim();
      return children === '' ? undefined : Number(children.split(/\s+/)[0]);
    },
    { deadlineMs: 5_000, description: `the namespace init of pid ${pid}` },
  );
}

function safeKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
