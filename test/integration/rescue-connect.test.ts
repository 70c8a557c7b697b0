import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { pickLoopbackAddress } from '../../sim/host/loopback-address.js';
import { isRescueError, type RescueErrorCode } from '../../src/ports/rescue-errors.js';
import { createSshRescueSystem } from '../../src/rescue/index.js';
import { soundKeyPair, withRescueHost } from '../support/rescue-hosts.js';

function failsWith(code: RescueErrorCode, tries?: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(isRescueError(error), `not a RescueError: ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (tries) assert.match(error.message, tries);
    return true;
  };
}

describe('connecting to a rescue system', () => {
  const { hosts, host } = withRescueHost('rescue-connect');

  it('trusts the first host key of a boot and hands it out for pinning', async () => {
    const first = await hosts.connect(host());
    assert.equal(first.hostKeyFingerprint, host().booted?.hostKeyFingerprint);
    const pinned = await hosts.connect(host(), { pinnedHostKey: first.hostKeyFingerprint });
    assert.equal(await pinned.hostname(), 'rescue');
  });

  it('refuses a rebooted rescue system with a new host key within the attempt, at once, and accepts it in a new one', async () => {
    const session = await hosts.connect(host());
    const pin = session.hostKeyFingerprint;
    await session.reboot();
    await assert.rejects(session.hostname(), failsWith('SSH_CONNECTION_LOST'));
    const rebooted = await hosts.rebootedRescue(host(), pin);

    const started = Date.now();
    await assert.rejects(
      hosts.connect(host(), { pinnedHostKey: pin, deadlineMs: 10_000 }),
      failsWith('SSH_HOST_KEY_MISMATCH', /\[1 tries in/),
    );
    assert.ok(Date.now() - started < 2_000, 'a mismatch must not be retried until the deadline');

    const newAttempt = await hosts.connect(host());
    assert.equal(newAttempt.hostKeyFingerprint, rebooted);
    assert.equal(await newAttempt.hostname(), 'rescue');
  });

  it('holds a first connection to the host keys vouched for elsewhere (SHA256 or MD5), refusing any other at once', async () => {
    const booted = host().booted ?? assert.fail('not booted');
    const blob = Buffer.from(booted.hostPublicKey.split(' ')[1] ?? '', 'base64');
    const md5 = `MD5:${(createHash('md5').update(blob).digest('hex').match(/../g) ?? []).join(':')}`;
    const stranger = 'MD5:c1:e4:08:73:dd:f7:e9:d1:94:ab:e9:0f:28:b2:d2:ed';
    for (const expected of [[booted.hostKeyFingerprint], [stranger, md5]]) {
      const session = await hosts.connect(host(), { expectedHostKeys: expected });
      assert.equal(session.hostKeyFingerprint, booted.hostKeyFingerprint);
      assert.equal(await session.hostname(), 'rescue');
    }
    const started = Date.now();
    await assert.rejects(
      hosts.connect(host(), { expectedHostKeys: [stranger], deadlineMs: 10_000 }),
      failsWith('SSH_HOST_KEY_MISMATCH', /none of the 1 expected .*\[1 tries in/),
    );
    assert.ok(Date.now() - started < 2_000, 'a key nobody vouched for must not be retried');
  });

  it('retries a refused port until the deadline, then says so', async () => {
    const nowhere = await pickLoopbackAddress();
    await assert.rejects(
      hosts.system.connect({ ...hosts.target(host()), host: nowhere, deadlineMs: 1_500 }),
      failsWith('SSH_REFUSED', /\[[2-9]\d* tries in/),
    );
  });

  it('connects once the server comes up within the deadline', async () => {
    await host().powerOff();
    const connecting = hosts.system.connect(hosts.target(host(), { deadlineMs: 15_000 }));
    await new Promise((resolve) => setTimeout(resolve, 300)); // let a few tries be refused
    const fingerprint = await hosts.bootRescue(host());
    const session = await connecting;
    hosts.onStop(() => session.close());
    assert.equal(session.hostKeyFingerprint, fingerprint);
  });

  it('reports a key the server does not accept as auth failed', async () => {
    const stranger = soundKeyPair('stranger');
    await assert.rejects(
      hosts.system.connect({ ...hosts.target(host()), privateKey: stranger.privateKey, deadlineMs: 1_000 }),
      failsWith('SSH_AUTH_FAILED'),
    );
  });

  it('reports a server that never speaks SSH as a timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    const address = await pickLoopbackAddress(2222);
    await new Promise<void>((resolve) => silent.listen(2222, address, resolve));
    hosts.onStop(() => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const quick = createSshRescueSystem({ tryTimeoutMs: 400 });
    await assert.rejects(
      quick.connect({ ...hosts.target(host()), host: address, port: 2222, deadlineMs: 1_000 }),
      failsWith('SSH_TIMEOUT'),
    );
  });

  it('reports a name that does not resolve as unreachable', async () => {
    await assert.rejects(
      hosts.system.connect({ ...hosts.target(host()), host: 'rescue.invalid', deadlineMs: 500 }),
      failsWith('SSH_UNREACHABLE'),
    );
  });

  it('rejects an unusable target before connecting', async () => {
    const target = hosts.target(host());
    for (const bad of [
      { port: 0 },
      { pinnedHostKey: 'md5:aa' },
      { expectedHostKeys: [] },
      { expectedHostKeys: ['c1:e4:08:73:dd:f7:e9:d1:94:ab:e9:0f:28:b2:d2:ed'] },
      { privateKey: 'not a key' },
      { deadlineMs: -1 },
    ]) {
      await assert.rejects(hosts.system.connect({ ...target, ...bad }), failsWith('RESCUE_INVALID_INPUT'));
    }
  });
});
