import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRescueError } from '../../src/ports/rescue-errors.js';
import { createSshRescueSystem } from '../../src/rescue/index.js';
import { awaitState, bashCommand, run, startInput, withRescueHost } from '../support/rescue-hosts.js';
import { startTcpProxy } from '../support/rescue-tcp-proxy.js';

describe('a detached command outlives the SSH connection that started it', () => {
  const { hosts, host } = withRescueHost('rescue-detached');

  const start = startInput({
    attemptId: 'attempt-7',
    // Counts its runs, then works until the test releases it.
    command: bashCommand(
      [
        'echo run >>/root/runs',
        'echo started',
        'while [ ! -e /root/release ]; do sleep 0.05; done',
        'echo IMAGE_URL_DONE',
      ].join('\n'),
    ),
  });

  it('keeps running when the connection is cut; a new connection reads its state; starting again does not run it twice', async () => {
    const proxy = await startTcpProxy(host().address, host().port);
    hosts.onStop(() => proxy.close());
    const first = await hosts.connect(host(), { host: proxy.host, port: proxy.port });
    const pinned = first.hostKeyFingerprint;
    assert.equal((await first.startImageUrlCommand(start)).started, true);
    await awaitState(first, start.attemptId, ['running']);

    proxy.cut();
    await assert.rejects(first.observe({ attemptId: start.attemptId }), (error) =>
      isRescueError(error, 'SSH_CONNECTION_LOST'),
    );

    // As a restarted controller would: a new adapter, the pinned key, the same attempt.
    const restarted = createSshRescueSystem();
    const second = await restarted.connect({
      ...hosts.target(host()),
      host: proxy.host,
      port: proxy.port,
      pinnedHostKey: pinned,
    });
    hosts.onStop(() => second.close());
    const observed = await second.observe({ attemptId: start.attemptId });
    assert.equal(observed.state, 'running');
    assert.equal(observed.log.tail, 'started\n');
    const again = await second.startImageUrlCommand(start);
    assert.equal(again.started, false);
    assert.equal(again.observation.state, 'running');

    const shell = await hosts.shell(host());
    await run(shell, 'touch /root/release');
    const done = await awaitState(second, start.attemptId, ['succeeded', 'failed']);
    assert.equal(done.state, 'succeeded', done.failure?.message);
    assert.equal((await second.startImageUrlCommand(start)).started, false);
    assert.equal(await run(shell, 'cat /root/runs'), 'run\n');
  });

  it('runs the command once when two sessions start the same attempt at the same time', async () => {
    await hosts.bootRescue(host());
    const [a, b] = await Promise.all([hosts.connect(host()), hosts.connect(host())]);
    const results = await Promise.all([a.startImageUrlCommand(start), b.startImageUrlCommand(start)]);
    assert.deepEqual(results.map((result) => result.started).sort(), [false, true]);
    const shell = await hosts.shell(host());
    await run(shell, 'touch /root/release');
    assert.equal((await awaitState(a, start.attemptId, ['succeeded', 'failed'])).state, 'succeeded');
    assert.equal(await run(shell, 'cat /root/runs'), 'run\n');
    assert.equal(await run(shell, 'ls /root/.image-url-command | grep -c staged- || true'), '0\n');
  });

  it('notices a silent network through keepalives and reports the connection as lost', async () => {
    await hosts.bootRescue(host());
    const proxy = await startTcpProxy(host().address, host().port);
    hosts.onStop(() => proxy.close());
    const session = await hosts.connect(host(), { host: proxy.host, port: proxy.port });
    await session.hostname();
    proxy.stall();
    const started = Date.now();
    await assert.rejects(session.hostname(), (error) => isRescueError(error, 'SSH_CONNECTION_LOST'));
    // keepalive every 1 s, 3 unanswered (RescueHosts' settings): lost after about 4 s.
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
  });
});
