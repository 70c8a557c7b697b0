import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProcessGroup } from '../../sim/process/process-group.js';
import { pickLoopbackAddress } from '../../sim/host/loopback-address.js';
import { ServerHost, type SystemExit } from '../../sim/host/server-host.js';
import { waitFor } from '../../sim/process/wait-for.js';
import { generateSshKeyPair } from '../../sim/host/ssh-keys.js';
import { connectSsh, type TestSshSession } from '../support/ssh-session.js';

const MiB = 1024 * 1024;

describe('simulated server hosts (real OpenSSH in their own namespaces)', () => {
  const operator = generateSshKeyPair('operator');
  const processes = new ProcessGroup();
  const hosts: ServerHost[] = [];
  const sessions: TestSshSession[] = [];
  let scratch = '';

  async function newHost(name: string, onSystemExit?: (exit: SystemExit) => void): Promise<ServerHost> {
    const host = new ServerHost({
      ...(onSystemExit ? { onSystemExit } : {}),
      name,
      address: await pickLoopbackAddress(),
      disks: [
        { name: 'sda', sizeBytes: 64 * MiB },
        { name: 'sdb', sizeBytes: 32 * MiB },
      ],
      stateDir: join(scratch, name),
      processes,
    });
    hosts.push(host);
    return host;
  }

  async function ssh(host: ServerHost, key = operator.privateKey): Promise<TestSshSession> {
    const session = await connectSsh(host.address, host.port, key);
    sessions.push(session);
    return session;
  }

  async function run(session: TestSshSession, command: string): Promise<string> {
    const result = await session.exec(command);
    assert.equal(result.code, 0, `${command} failed: ${result.stderr}`);
    return result.stdout.toString().trim();
  }

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-hosts-'));
  });

  after(async () => {
    for (const session of sessions) session.end();
    for (const host of hosts) await host.destroy();
    await processes.stopAll();
    await rm(scratch, { recursive: true, force: true });
  });

  it('boots into a rescue system that answers hostname "rescue" over SSH', async () => {
    const host = await newHost('rescue-hostname');
    const booted = await host.boot({ hostname: 'rescue', authorizedKeys: [operator.publicKey] });
    const session = await ssh(host);
    assert.equal(await run(session, 'hostname'), 'rescue');
    assert.equal(await run(session, 'id -un'), 'root');
    assert.equal(session.hostKeyFingerprint, booted.hostKeyFingerprint);
  });

  it('refuses keys that were not given to the booted system', async () => {
    const host = await newHost('rescue-auth');
    await host.boot({ hostname: 'rescue', authorizedKeys: [operator.publicKey] });
    const stranger = generateSshKeyPair('stranger');
    await assert.rejects(
      connectSsh(host.address, host.port, stranger.privateKey),
      /authentication methods failed/,
    );
  });

  it('writes 1 MiB to /dev/sda in the rescue system that reads back identically from outside', async () => {
    const host = await newHost('rescue-disk');
    await host.boot({ hostname: 'rescue', authorizedKeys: [operator.publicKey] });
    const session = await ssh(host);
    const data = randomBytes(MiB);
    const write = await session.exec('dd of=/dev/sda bs=64K iflag=fullblock conv=fsync status=none', data);
    assert.equal(write.code, 0, write.stderr);

    const file = await open(host.disks.imagePath('sda'), 'r');
    const readBack = Buffer.alloc(MiB);
    await file.read(readBack, 0, MiB, 0);
    await file.close();
    assert.ok(readBack.equals(data), 'bytes read from the backing file differ from what was written');
  });

  it('shows its disks to lsblk by server names, with sizes, WWNs and serials', async () => {
    const host = await newHost('rescue-lsblk');
    await host.boot({ hostname: 'rescue', authorizedKeys: [operator.publicKey] });
    const session = await ssh(host);
    const listing = JSON.parse(
      await run(session, 'lsblk --json --bytes --nodeps -o NAME,SIZE,TYPE,WWN,SERIAL'),
    ) as {
      blockdevices: { name: string; size: number; type: string; wwn: string; serial: string }[];
    };
    const [sda, sdb] = host.disks.specs;
    assert.deepEqual(listing.blockdevices, [
      { name: 'sda', size: 64 * MiB, type: 'disk', wwn: sda?.wwn, serial: sda?.serial },
      { name: 'sdb', size: 32 * MiB, type: 'disk', wwn: sdb?.wwn, serial: sdb?.serial },
    ]);
    assert.equal(await run(session, 'ls /dev | grep -c -E "^(sd|loop|nvme|vd)"'), '2');
  });

  it('runs two hosts at once, each with its own private /root and its own processes', async () => {
    const [first, second] = [await newHost('pair-one'), await newHost('pair-two')];
    await Promise.all(
      [first, second].map((h) => h.boot({ hostname: 'rescue', authorizedKeys: [operator.publicKey] })),
    );
    const [a, b] = [await ssh(first), await ssh(second)];
    await run(a, 'echo one > /root/marker');
    await run(b, 'echo two > /root/marker');
    assert.equal(await run(a, 'cat /root/marker'), 'one');
    assert.equal(await run(b, 'cat /root/marker'), 'two');
    assert.equal(await run(a, 'ls -A /root | sort | tr "\\n" " "'), '.ssh marker');
    assert.match(await run(a, 'cat /proc/1/cmdline | tr "\\0" " "'), /sshd -D -e/);
  });

  it('presents a new host key, an empty /root and the same disks after a reboot into another system', async () => {
    const host = await newHost('reboot');
    const rescue = await host.boot({ hostname: 'rescue', authorizedKeys: [operator.publicKey] });
    const before = await ssh(host);
    await run(before, 'echo installed | dd of=/dev/sda conv=fsync status=none && echo x > /root/left-behind');
    await run(before, 'setsid sleep 600 >/dev/null 2>&1 < /dev/null &');

    const osKey = generateSshKeyPair('os-admin');
    const os = await host.boot({ hostname: 'node-1', authorizedKeys: [osKey.publicKey] });
    assert.notEqual(os.hostKeyFingerprint, rescue.hostKeyFingerprint);
    await assert.rejects(
      connectSsh(host.address, host.port, operator.privateKey),
      /authentication methods failed/,
    );
    const after = await ssh(host, osKey.privateKey);
    assert.equal(after.hostKeyFingerprint, os.hostKeyFingerprint);
    assert.equal(await run(after, 'hostname'), 'node-1');
    assert.equal(await run(after, 'ls -A /root'), '.ssh');
    assert.equal(await run(after, 'head -c 9 /dev/sda'), 'installed');
    assert.equal(
      await run(after, 'pgrep -c -x sleep || true'),
      '0',
      'a process of the previous boot survived',
    );
  });

  it('ends every process of the booted system when powered off', async () => {
    const host = await newHost('power-off');
    await host.boot({ hostname: 'rescue', authorizedKeys: [operator.publicKey] });
    const session = await ssh(host);
    const marker = `imageurl-power-off-${randomBytes(4).toString('hex')}`;
    await run(session, `setsid bash -c 'exec -a ${marker} sleep 600' >/dev/null 2>&1 < /dev/null &`);
    session.end();
    await host.powerOff();
    assert.equal(host.poweredOn, false);
    const { readdir, readFile } = await import('node:fs/promises');
    const survivors: string[] = [];
    for (const pid of (await readdir('/proc')).filter((entry) => /^\d+$/.test(entry))) {
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.includes(marker)) survivors.push(pid);
    }
    assert.deepEqual(survivors, []);
  });

  it('reports reboot, poweroff and shutdown run inside the system, and a crash, to its owner', async () => {
    const exits: SystemExit[] = [];
    const host = await newHost('guest-power', (exit) => exits.push(exit));
    const expectations: [string, SystemExit['reason']][] = [
      ['reboot', 'reboot'],
      ['poweroff', 'poweroff'],
      ['shutdown -r now', 'reboot'],
      ['kill -TERM 1', 'crash'],
    ];
    for (const [command, reason] of expectations) {
      await host.boot({ hostname: 'rescue', authorizedKeys: [operator.publicKey] });
      const session = await ssh(host);
      const result = await session.exec(command);
      if (reason !== 'crash') assert.equal(result.code, 0, `${command}: ${result.stderr}`);
      const exit = await waitFor(() => Promise.resolve(exits.shift()), {
        deadlineMs: 10_000,
        description: `the system to end after ${command}`,
      });
      assert.equal(exit.reason, reason, command);
      assert.equal(exit.hostname, 'rescue');
      assert.equal(host.poweredOn, false);
    }
  });
});
