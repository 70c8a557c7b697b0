import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProcessGroup } from '../process/process-group.js';
import type { SupervisedProcess } from '../process/supervised-process.js';
import { waitFor } from '../process/wait-for.js';
import { writeBootFiles, type BootOptions } from './boot-files.js';
import { HostDisks, type DiskSpec } from './host-disks.js';
import { checkHostRequirements, hostPrograms } from './host-requirements.js';
import { partprobeSummary, servePartprobe, type PartprobeChannel } from './partprobe-channel.js';
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

export interface BootedSystem {
  readonly hostname: string;
  /** The host key of this boot, `SHA256:…`. */
  readonly hostKeyFingerprint: string;
  /** The same key as a public key line (`ssh-ed25519 AAAA… comment`). */
  readonly hostPublicKey: string;
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
 * as on real hardware. `partprobe` inside the system gets partition nodes (/dev/sda1) from the
 * host: loop devices at the partitions' offsets (ADR 0002).
 */
export class ServerHost {
  readonly disks: HostDisks;
  readonly port: number;
  private readonly processes: ProcessGroup;
  private readonly ownsProcesses: boolean;
  private system: BootedProcess | undefined;
  private removeExitHook: (() => void) | undefined;
  private partprobe: PartprobeChannel | undefined;

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

  /** The booted system's root as seen from here (`/proc/<pid>/root`), while one runs. */
  get systemRoot(): string | undefined {
    const initPid = this.system?.initPid;
    return this.poweredOn && initPid !== undefined ? `/proc/${initPid}/root` : undefined;
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
    const hostKey = options.hostKey ?? generateSshKeyPair(`${this.options.name}-host`);
    await this.disks.create();
    this.removeExitHook ??= this.processes.addExitHook(() => this.disks.detachNow());
    const disks = await this.disks.attach();
    await writeBootFiles(
      bootDir,
      { ...options, address: this.address, port: this.port, disks },
      hostKey.privateKey,
    );
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
      hostPublicKey: hostKey.publicKey,
      bootedAt: new Date(),
    };
    const system: BootedProcess = { process, info, initPid: undefined };
    this.system = system;
    try {
      await process.waitForOutput(
        (text) => text.includes(`Server listening on ${this.address} port ${this.port}`),
        // A busy host (hundreds of systems booting at once on a few cores) is slow, not broken.
        60_000,
      );
      system.initPid = await childPid(process);
      this.servePartprobe(controlDir, system.initPid);
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
    this.stopPartprobe();
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
    this.stopPartprobe();
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

  private stopPartprobe(): void {
    this.partprobe?.close();
    this.partprobe = undefined;
  }

  /** Answers `partprobe` run inside the system: partition nodes in its /dev (partprobe-shim.sh). */
  private servePartprobe(controlDir: string, initPid: number | undefined): void {
    if (initPid === undefined) return;
    const devDir = `/proc/${initPid}/root/dev`;
    this.partprobe = servePartprobe(controlDir, async (names) =>
      partprobeSummary(await this.disks.rereadPartitions(names, devDir)),
    );
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
