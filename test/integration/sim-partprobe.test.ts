import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { pickLoopbackAddress } from '../../sim/host/loopback-address.js';
import { ServerHost, type SystemExit } from '../../sim/host/server-host.js';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { waitFor } from '../../sim/process/wait-for.js';
import { connectSsh, type TestSshSession } from '../support/ssh-session.js';

const MiB = 1024 * 1024;
const run = promisify(execFile);

interface LoopListing {
  loopdevices: { name: string; 'back-file': string | null; offset: number; sizelimit: number }[];
}

/** The machine's loop devices over a file: the whole disk (offset 0, no limit) and its partitions. */
async function loopsOver(file: string): Promise<{ name: string; offset: number; sizelimit: number }[]> {
  const { stdout } = await run('losetup', ['--list', '--json', '-O', 'NAME,BACK-FILE,OFFSET,SIZELIMIT']);
  const listing = JSON.parse(stdout === '' ? '{"loopdevices":[]}' : stdout) as LoopListing;
  return listing.loopdevices
    .filter((loop) => loop['back-file']?.replace(/ \(deleted\)$/, '') === file)
    .map(({ name, offset, sizelimit }) => ({ name, offset, sizelimit }))
    .sort((a, b) => a.offset - b.offset);
}

describe('partprobe in simulated servers: partition nodes over loop devices', () => {
  const operator = generateSshKeyPair('operator');
  const exits: SystemExit[] = [];
  let scratch = '';
  let host: ServerHost;
  let session: TestSshSession | undefined;

  const sh = async (command: string): Promise<string> => {
    assert.ok(session);
    const result = await session.exec(command);
    assert.equal(result.code, 0, `${command}: ${result.stderr}`);
    return result.stdout.toString().trim();
  };
  const failing = async (command: string): Promise<{ code: number | null; stderr: string }> => {
    assert.ok(session);
    const result = await session.exec(command);
    assert.notEqual(result.code, 0, `${command} succeeded`);
    return { code: result.code, stderr: result.stderr };
  };
  const boot = async (): Promise<void> => {
    session?.end();
    await host.boot({ hostname: 'rescue', authorizedKeys: [operator.publicKey] });
    session = await connectSsh(host.address, host.port, operator.privateKey);
  };
  const sda = (): string => host.disks.imagePath('sda');

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-partprobe-'));
    host = new ServerHost({
      name: 'partprobe',
      address: await pickLoopbackAddress(),
      disks: [
        { name: 'sda', sizeBytes: 64 * MiB },
        { name: 'nvme0n1', sizeBytes: 16 * MiB },
      ],
      stateDir: join(scratch, 'host'),
      onSystemExit: (exit) => exits.push(exit),
    });
    await boot();
  });

  after(async () => {
    session?.end();
    await host.destroy();
    await rm(scratch, { recursive: true, force: true });
  });

  it('makes /dev/sda1 and /dev/sda2 with the partitions sizes, read-write at their offsets', async () => {
    await sh('sgdisk -o -n1:2048:+8M -n2:0:+4M /dev/sda >/dev/null');
    assert.equal(await sh('ls /dev | grep -c "^sda[0-9]" || true'), '0', 'no nodes before partprobe');
    await sh('partprobe /dev/sda');
    assert.equal(
      await sh('blockdev --getsize64 /dev/sda1 /dev/sda2 /dev/sda | tr "\\n" " "'),
      `${8 * MiB} ${4 * MiB} ${64 * MiB}`,
    );
    const marker = randomBytes(16).toString('hex');
    await sh(`printf ${marker} | dd of=/dev/sda2 conv=fsync status=none`);
    const file = await open(sda(), 'r');
    const readBack = Buffer.alloc(32);
    await file.read(readBack, 0, 32, 9 * MiB); // partition 2 starts right after 1 MiB + 8 MiB
    await file.close();
    assert.equal(readBack.toString(), marker);
    await sh('mkfs.ext4 -q -L root /dev/sda1');
    assert.equal(await sh('blkid -p -o value -s LABEL /dev/sda1'), 'root');
    assert.deepEqual(
      (await loopsOver(sda())).map(({ offset, sizelimit }) => [offset, sizelimit]),
      [
        [0, 0],
        [MiB, 8 * MiB],
        [9 * MiB, 4 * MiB],
      ],
    );
  });

  it('replaces the nodes after the table changed, detaching the loops of partitions that went away', async () => {
    await sh('sgdisk -o -n1:2048:+8M -n2:0:+4M /dev/sda >/dev/null');
    await sh('partprobe /dev/sda');
    await sh('sgdisk -d2 -n3:0:+2M -d1 -n1:2048:+6M /dev/sda >/dev/null');
    assert.equal(await sh('partprobe -s /dev/sda'), '/dev/sda: gpt partitions 1 3');
    assert.equal(await sh('ls /dev | grep "^sda" | tr "\\n" " "'), 'sda sda1 sda3');
    assert.equal(
      await sh('blockdev --getsize64 /dev/sda1 /dev/sda3 | tr "\\n" " "'),
      `${6 * MiB} ${2 * MiB}`,
    );
    const loops = await loopsOver(sda());
    assert.deepEqual(
      loops.map(({ offset, sizelimit }) => [offset, sizelimit]),
      [
        [0, 0],
        [MiB, 6 * MiB],
        [9 * MiB, 2 * MiB],
      ],
    );
    // Adding a partition leaves the others' devices alone (the kernel's BLKPG does the same).
    const devices = async (): Promise<string> => sh('stat -c "%n %t:%T" /dev/sda1 /dev/sda3 | tr "\\n" " "');
    const before = await devices();
    await sh('sgdisk -n4:0:+1M /dev/sda >/dev/null && partprobe /dev/sda');
    assert.equal(await devices(), before);
    assert.equal(await sh('blockdev --getsize64 /dev/sda4'), String(MiB));
    // A wiped table removes every node and every partition loop.
    await sh('sgdisk --zap-all /dev/sda >/dev/null');
    await sh('blockdev --rereadpt /dev/sda');
    assert.equal(await sh('ls /dev | grep -c "^sda[0-9]" || true'), '0');
    assert.equal((await loopsOver(sda())).length, 1);
  });

  it('keeps a mounted partition and fails, as the kernel refuses, until it is unmounted', async () => {
    await sh('sgdisk -o -n1:2048:+8M /dev/sda >/dev/null && partprobe');
    await sh('mkfs.ext4 -q /dev/sda1 && mkdir -p /mnt/root && mount /dev/sda1 /mnt/root');
    await sh('sgdisk -d1 -n1:4096:+8M /dev/sda >/dev/null');
    const refused = await failing('partprobe /dev/sda');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /partition\(s\) sda1 of \/dev\/sda changed but are in use/);
    assert.equal(await sh('blockdev --getsize64 /dev/sda1'), String(8 * MiB));
    await sh('umount /mnt/root && partprobe /dev/sda');
    assert.deepEqual(
      (await loopsOver(sda())).map(({ offset }) => offset),
      [0, 2 * MiB],
    );
  });

  it('names NVMe partitions with p, probes every disk without arguments and leaves other blockdev calls alone', async () => {
    await sh('sgdisk -o -n1:2048:+2M /dev/nvme0n1 >/dev/null');
    await sh('partprobe');
    assert.equal(await sh('ls /dev | grep "^nvme" | tr "\\n" " "'), 'nvme0n1 nvme0n1p1');
    assert.equal(await sh('blockdev --getsize64 /dev/nvme0n1p1'), String(2 * MiB));
    assert.equal(await sh('partprobe -d /dev/nvme0n1 && echo dry'), 'dry');
  });

  it('fails with a message for devices that are not disks of the server', async () => {
    const unknown = await failing('partprobe /dev/sdz');
    assert.match(unknown.stderr, /Could not stat device \/dev\/sdz - not a disk of this server/);
    const partition = await failing('partprobe /dev/nvme0n1p1');
    assert.match(partition.stderr, /not a disk of this server/);
  });

  it('detaches the partition loops when the system powers off, reboots itself or the host is powered off', async () => {
    await sh('sgdisk -o -n1:2048:+4M -n2:0:+4M /dev/sda >/dev/null');
    await sh('partprobe /dev/sda && mkfs.ext4 -q /dev/sda2 && mkdir -p /mnt/p && mount /dev/sda2 /mnt/p');
    assert.equal((await loopsOver(sda())).length, 3);
    await sh('reboot');
    const exit = await waitFor(() => Promise.resolve(exits.shift()), {
      deadlineMs: 10_000,
      description: 'the system to end after reboot',
    });
    assert.equal(exit.reason, 'reboot');
    await waitFor(async () => ((await loopsOver(sda())).length === 0 ? true : undefined), {
      deadlineMs: 10_000,
      description: 'every loop device of the disk to be detached after reboot',
    });

    await boot();
    assert.equal(
      await sh('ls /dev | grep -c "^sda[0-9]" || true'),
      '0',
      'a new boot starts without partition nodes',
    );
    await sh('partprobe');
    assert.equal((await loopsOver(sda())).length, 3);
    await host.powerOff();
    await waitFor(async () => ((await loopsOver(sda())).length === 0 ? true : undefined), {
      deadlineMs: 10_000,
      description: 'every loop device of the disk to be detached after power off',
    });
    await boot();
  });
});
