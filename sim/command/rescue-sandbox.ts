/**
 * @module The rescue-like sandbox `imageurl try-command` runs a command in: one simulated server
 * booted as `rescue` exactly as the simulators boot one (real sshd as PID 1 of its own
 * namespaces, the disks as loop devices over sparse files, `partprobe` answered by the host),
 * and afterwards a look at what landed on its disks. The CLI loads this module from a source
 * checkout only (docs/adr/0006-production-build-without-simulators.md) and talks to the
 * server with the product's own rescue adapter, as the controller does.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readDiskContents, type DiskContents } from '../host/disk-contents.js';
import { hostPrograms } from '../host/host-requirements.js';
import { pickLoopbackAddress } from '../host/loopback-address.js';
import { sectorsWritten, type LoopDevice } from '../host/loop-devices.js';
import { ServerHost } from '../host/server-host.js';
import { generateSshKeyPair } from '../host/ssh-keys.js';

export type { DiskContents } from '../host/disk-contents.js';

const run = promisify(execFile);

export interface SandboxDiskSpec {
  /** `sda`, `sdb`, … */
  readonly name: string;
  readonly sizeBytes: number;
}

export interface SandboxDisk extends SandboxDiskSpec {
  /** As lsblk shows it in the sandbox (`0x5000c500…`). */
  readonly wwn: string;
}

export interface RescueSandbox {
  readonly address: string;
  readonly port: number;
  /** The key root logs in with; only this process holds it. */
  readonly privateKey: string;
  readonly disks: readonly SandboxDisk[];
  /** Bytes written to the disks so far (their loop devices' counters, partitions included). */
  writtenBytes(): Promise<number>;
  /** Flushes and counts the last writes, powers the system off and reads what landed on each disk. */
  finish(): Promise<{ readonly writtenBytes: number; readonly disks: readonly DiskContents[] }>;
  /** Powers off and removes the disks and every file; safe to call more than once. */
  destroy(): Promise<void>;
}

/** Boots the sandbox; its disks are new sparse files of the sizes asked. Needs root. */
export async function startRescueSandbox(options: {
  readonly disks: readonly SandboxDiskSpec[];
}): Promise<RescueSandbox> {
  const stateDir = await mkdtemp(join(tmpdir(), 'imageurl-try-command-'));
  const key = generateSshKeyPair('imageurl-try-command');
  const host = new ServerHost({
    name: 'try-command',
    address: await pickLoopbackAddress(),
    disks: options.disks,
    stateDir,
  });
  try {
    await host.boot({ hostname: 'rescue', authorizedKeys: [key.publicKey] });
  } catch (error) {
    await host.destroy();
    throw error;
  }
  const written = new WriteCounters(host);
  return {
    address: host.address,
    port: host.port,
    privateKey: key.privateKey,
    disks: host.disks.specs.map((spec) => ({ name: spec.name, sizeBytes: spec.sizeBytes, wwn: spec.wwn })),
    writtenBytes: () => written.sample(),
    async finish() {
      await written.flush();
      const writtenBytes = await written.sample();
      await host.powerOff();
      const disks = [];
      for (const spec of host.disks.specs) {
        disks.push(await readDiskContents(spec.name, host.disks.imagePath(spec.name), spec.sizeBytes));
      }
      return { writtenBytes, disks };
    },
    destroy: () => host.destroy(),
  };
}

/**
 * Sectors written per loop device through its current attachment, kept across samples: a
 * partition's loop device goes away when the system repartitions, and its count must not go
 * with it.
 */
class WriteCounters {
  private readonly sectors = new Map<string, number>();

  constructor(private readonly host: ServerHost) {}

  async sample(): Promise<number> {
    for (const device of await this.devices()) {
      const key = `${device.loopDevice}@${String(device.sectorsWrittenBefore)}`;
      const sectors = (await sectorsWritten(device.loopDevice)) - device.sectorsWrittenBefore;
      this.sectors.set(key, Math.max(sectors, this.sectors.get(key) ?? 0));
    }
    return [...this.sectors.values()].reduce((sum, sectors) => sum + sectors * 512, 0);
  }

  /** Writes still in the page cache of the disks' nodes reach the loop devices (and their counters). */
  async flush(): Promise<void> {
    for (const device of await this.devices()) {
      await run(hostPrograms.blockdev, ['--flushbufs', device.loopDevice]).catch(() => undefined);
    }
  }

  private async devices(): Promise<LoopDevice[]> {
    if (!this.host.poweredOn) return [];
    const disks = await this.host.disks.attach();
    return disks.flatMap((disk) => [disk, ...this.host.disks.partitions.attached(disk.spec.name)]);
  }
}
