import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { pickLoopbackAddress } from '../../sim/host/loopback-address.js';
import { ServerHost } from '../../sim/host/server-host.js';
import { generateSshKeyPair, type SshKeyPair } from '../../sim/host/ssh-keys.js';
import { ProcessGroup } from '../../sim/process/process-group.js';
import { waitFor } from '../../sim/process/wait-for.js';
import type {
  ImageUrlCommandObservation,
  ImageUrlCommandState,
  RescueSession,
  RescueTarget,
  StartImageUrlCommandInput,
} from '../../src/ports/rescue-system.js';
import { createSshRescueSystem, type SshRescueSettings } from '../../src/rescue/index.js';
import { connectSsh, type ExecResult, type TestSshSession } from './ssh-session.js';

const MiB = 1024 * 1024;

/**
 * Rescue hosts for the rescue-protocol tests: real sshd systems booted as `rescue`, the
 * product's ssh2 adapter to talk to them, and a plain SSH client to look behind its back.
 * `stop()` ends every session and host even when a test failed.
 */
export class RescueHosts {
  readonly operator = soundKeyPair('operator');
  readonly system;
  private readonly processes = new ProcessGroup();
  private readonly hosts: ServerHost[] = [];
  /** The latest boot of each host, so a test can wait for a reboot to finish. */
  private readonly boots = new Map<ServerHost, Promise<string>>();
  private readonly closers: (() => Promise<void> | void)[] = [];
  private scratch = '';

  constructor(settings: Partial<SshRescueSettings> = {}) {
    // Short keepalives so a dead connection is noticed within the tests' deadlines.
    this.system = createSshRescueSystem({ keepaliveIntervalMs: 1_000, keepaliveCountMax: 3, ...settings });
  }

  async start(): Promise<void> {
    this.scratch = await mkdtemp(join(tmpdir(), 'imageurl-rescue-'));
  }

  async stop(): Promise<void> {
    for (const close of this.closers.reverse()) await Promise.resolve(close()).catch(() => undefined);
    for (const host of this.hosts) await host.destroy().catch(() => undefined);
    await this.processes.stopAll();
    if (this.scratch !== '') await rm(this.scratch, { recursive: true, force: true });
  }

  /** A host booted into rescue; `reboot` inside it boots rescue again (with a new host key). */
  async boot(name: string): Promise<ServerHost> {
    const host: ServerHost = new ServerHost({
      name,
      address: await pickLoopbackAddress(),
      disks: [
        { name: 'sda', sizeBytes: 64 * MiB },
        { name: 'sdb', sizeBytes: 32 * MiB },
      ],
      stateDir: join(this.scratch, name),
      processes: this.processes,
      onSystemExit: (exit) => {
        if (exit.reason === 'reboot') this.bootRescue(host).catch(() => undefined);
      },
    });
    this.hosts.push(host);
    await this.bootRescue(host);
    return host;
  }

  /** Boots (or hard-resets into) a fresh rescue system: empty /root, new host key. */
  bootRescue(host: ServerHost): Promise<string> {
    const boot = bootWithSoundHostKey(host, this.operator.publicKey);
    this.boots.set(host, boot);
    return boot;
  }

  /** Waits until `host` runs a rescue boot whose host key is not `previous` (after a reboot). */
  async rebootedRescue(host: ServerHost, previous: string): Promise<string> {
    return waitFor(
      async () => {
        const fingerprint = await this.boots.get(host);
        return fingerprint !== previous && host.poweredOn ? fingerprint : undefined;
      },
      { deadlineMs: 15_000, description: `${host.address} to boot rescue again` },
    );
  }

  target(host: ServerHost, extra: Partial<RescueTarget> = {}): RescueTarget {
    return {
      host: host.address,
      port: host.port,
      privateKey: this.operator.privateKey,
      deadlineMs: 10_000,
      ...extra,
    };
  }

  /** A session of the product's adapter, closed by stop(). */
  async connect(host: ServerHost, extra: Partial<RescueTarget> = {}): Promise<RescueSession> {
    const session = await this.system.connect(this.target(host, extra));
    this.closers.push(() => session.close());
    return session;
  }

  /** A plain SSH client to inspect the host independently of the adapter. */
  async shell(host: ServerHost): Promise<TestSshSession> {
    const session = await connectSsh(host.address, host.port, this.operator.privateKey);
    this.closers.push(() => session.end());
    return session;
  }

  /** Registers cleanup for something a test started (a proxy, a server). */
  onStop(close: () => Promise<void> | void): void {
    this.closers.push(close);
  }
}

/**
 * Registers before/after hooks in the calling describe(): one host booted into rescue before
 * the tests, everything stopped after them (also when a test failed).
 */
export function withRescueHost(name: string): {
  readonly hosts: RescueHosts;
  readonly host: () => ServerHost;
} {
  const hosts = new RescueHosts();
  let booted: ServerHost | undefined;
  before(async () => {
    await hosts.start();
    booted = await hosts.boot(name);
  });
  after(() => hosts.stop());
  return {
    hosts,
    host: () => {
      if (booted === undefined) throw new Error(`rescue host ${name} did not boot`);
      return booted;
    },
  };
}

/**
 * ssh2's generateKeyPairSync('ed25519') strips leading zero bytes from the public key, so about
 * one key in 256 is 31 bytes and OpenSSH rejects it (mscdex/ssh2#1390, #1513). Until
 * sim/host/ssh-keys.ts guards against it, these tests regenerate such keys...
 */
export function soundKeyPair(comment: string): SshKeyPair {
  for (;;) {
    const pair = generateSshKeyPair(comment);
    const blob = Buffer.from(pair.publicKey.split(' ')[1] ?? '', 'base64');
    if (blob.length === 51) return pair; // 4+11 ("ssh-ed25519") + 4+32
  }
}

/** ...and boot again when the simulator's fresh host key was such a key. */
async function bootWithSoundHostKey(host: ServerHost, authorizedKey: string): Promise<string> {
  for (let boot = 1; ; boot++) {
    try {
      const booted = await host.boot({ hostname: 'rescue', authorizedKeys: [authorizedKey] });
      return booted.hostKeyFingerprint;
    } catch (error) {
      if (boot >= 3 || !String(error).includes('Unable to load host key')) throw error;
    }
  }
}

/** A command: a small bash script written by the test. */
export function bashCommand(body: string): { bytes: Uint8Array } {
  return { bytes: Buffer.from(`#!/bin/bash\n${body}\n`) };
}

/** A start input with CAPH's example values; tests override what they are about. */
export function startInput(overrides: Partial<StartImageUrlCommandInput> = {}): StartImageUrlCommandInput {
  return {
    attemptId: 'attempt-1',
    command: bashCommand('echo IMAGE_URL_DONE'),
    imageUrl: 'oci://example.com/yourimage:v1',
    bootstrapData: 'bootstrap',
    machineName: 'm1',
    rootDevices: ['sda'],
    ...overrides,
  };
}

export async function run(shell: TestSshSession, command: string): Promise<string> {
  const result: ExecResult = await shell.exec(command);
  if (result.code !== 0) throw new Error(`${command} exited ${String(result.code)}: ${result.stderr}`);
  return result.stdout.toString();
}

/** Polls observe() until the command is in one of `states`. */
export async function awaitState(
  session: RescueSession,
  attemptId: string,
  states: readonly ImageUrlCommandState[],
  deadlineMs = 20_000,
): Promise<ImageUrlCommandObservation> {
  return waitFor(
    async () => {
      const observation = await session.observe({ attemptId });
      return states.includes(observation.state) ? observation : undefined;
    },
    { deadlineMs, description: `attempt ${attemptId} to be ${states.join(' or ')}` },
  );
}
