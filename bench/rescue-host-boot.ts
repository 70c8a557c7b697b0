import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickLoopbackAddress } from '../sim/host/loopback-address.js';
import { ServerHost } from '../sim/host/server-host.js';
import { generateSshKeyPair } from '../sim/host/ssh-keys.js';
import { connectSsh } from '../test/support/ssh-session.js';

export interface RescueHostBootFigures {
  /** From power-on until sshd listens. */
  readonly sshdListeningMs: number;
  /** From power-on until `hostname` over SSH answered `rescue`. */
  readonly rescueReadyMs: number;
}

/** Boots one rescue host with a 1 GiB and a 512 MiB disk and times it until SSH answers. */
export async function measureRescueHostBoot(): Promise<RescueHostBootFigures> {
  const scratch = await mkdtemp(join(tmpdir(), 'imageurl-bench-'));
  const key = generateSshKeyPair('bench');
  const host = new ServerHost({
    name: 'bench',
    address: await pickLoopbackAddress(),
    disks: [
      { name: 'sda', sizeBytes: 1024 ** 3 },
      { name: 'sdb', sizeBytes: 512 * 1024 ** 2 },
    ],
    stateDir: join(scratch, 'host'),
  });
  try {
    const started = performance.now();
    await host.boot({ hostname: 'rescue', authorizedKeys: [key.publicKey] });
    const sshdListeningMs = performance.now() - started;
    const session = await connectSsh(host.address, host.port, key.privateKey);
    const { stdout } = await session.exec('hostname');
    session.end();
    if (stdout.toString().trim() !== 'rescue') throw new Error(`unexpected hostname ${stdout.toString()}`);
    return { sshdListeningMs, rescueReadyMs: performance.now() - started };
  } finally {
    await host.destroy();
    await rm(scratch, { recursive: true, force: true });
  }
}
