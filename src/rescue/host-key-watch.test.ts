import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import ssh2 from 'ssh2';
import { waitFor } from '../../sim/process/wait-for.js';
import type { HostKeySighting } from '../ports/ssh-host-keys.js';
import { hostKeyFingerprint } from './host-key.js';
import { SshHostKeyWatch } from './host-key-watch.js';

async function until(watch: SshHostKeyWatch, port: number): Promise<HostKeySighting> {
  return waitFor(
    () => {
      const sighting = watch.sighting('127.0.0.1', port);
      return Promise.resolve(sighting.kind === 'unknown' ? undefined : sighting);
    },
    { deadlineMs: 10_000, initialIntervalMs: 10, description: 'a sighting' },
  );
}

describe('SshHostKeyWatch', () => {
  it('learns the host key of a real SSH server from the key exchange, in the background', async () => {
    const hostKey = ssh2.utils.generateKeyPairSync('ed25519');
    const server = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => client.on('error', () => {}));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const watch = new SshHostKeyWatch();
      assert.deepEqual(watch.sighting('127.0.0.1', port), { kind: 'unknown' }, 'never waits');
      const parsed: ssh2.ParsedKey | Error = ssh2.utils.parseKey(hostKey.public);
      assert.ok(!(parsed instanceof Error));
      const expected = hostKeyFingerprint(parsed.getPublicSSH());
      assert.deepEqual(await until(watch, port), { kind: 'key', fingerprint: expected });
    } finally {
      server.close();
    }
  });

  it('reports a closed port as refused', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    assert.deepEqual(await until(new SshHostKeyWatch(), port), { kind: 'refused' });
  });

  it('with a callback, keeps trying in the background and tells once when a host key appears', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const watch = new SshHostKeyWatch();
    let told = 0;
    assert.deepEqual(
      watch.sighting('127.0.0.1', port, () => (told += 1)),
      { kind: 'unknown' },
    );
    // The installed OS's sshd comes up later; nobody asks the watch again meanwhile.
    const hostKey = ssh2.utils.generateKeyPairSync('ed25519');
    const server = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => client.on('error', () => {}));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      await waitFor(() => Promise.resolve(told > 0 ? true : undefined), {
        deadlineMs: 20_000,
        initialIntervalMs: 20,
        description: 'the callback',
      });
      assert.equal(told, 1);
      const sighting = watch.sighting('127.0.0.1', port);
      assert.equal(sighting.kind, 'key', 'the key that woke the caller is the next sighting');
    } finally {
      server.close();
    }
  });
});
