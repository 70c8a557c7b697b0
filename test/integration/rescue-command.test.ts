import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ImageUrlCommandFailureReason, ImageUrlCommandState } from '../../src/ports/rescue-system.js';
import { isRescueError } from '../../src/ports/rescue-errors.js';
import { awaitState, bashCommand, run, startInput, withRescueHost } from '../support/rescue-hosts.js';

describe('the image-url-command on a real rescue system', () => {
  const { hosts, host } = withRescueHost('rescue-command');

  const start = startInput({
    bootstrapData: '#cloud-config\nruncmd: [kubeadm join]\n',
    rootDevices: ['sda', 'sdb'],
    registryToken: 'registry-token-value',
  });

  it('answers hostname "rescue" and lists the disks lsblk shows, with sizes, WWNs and serials', async () => {
    const session = await hosts.connect(host());
    assert.equal(await session.hostname(), 'rescue');
    const disks = await session.disks();
    assert.deepEqual(
      disks.map((disk) => [disk.name, disk.sizeBytes, disk.wwn, disk.serial]),
      host().disks.specs.map((spec) => [spec.name, spec.sizeBytes, spec.wwn, spec.serial]),
    );
  });

  it('starts the command detached with the four arguments, the token and CAPH file layout', async () => {
    await hosts.bootRescue(host());
    const session = await hosts.connect(host());
    const command = bashCommand(
      [
        'printf "%s\\0" "$@" >/root/seen-argv',
        'printf "%s" "$OCI_REGISTRY_AUTH_TOKEN" >/root/seen-token',
        'echo "$$ $(ps -o sid= -p $$) $(ps -o pgid= -p $$)" >/root/seen-ids',
        'echo IMAGE_URL_DONE',
      ].join('\n'),
    );
    const result = await session.startImageUrlCommand({ ...start, command });
    assert.equal(result.started, true);
    const done = await awaitState(session, start.attemptId, ['succeeded', 'failed']);
    assert.equal(done.state, 'succeeded', done.failure?.message);
    assert.equal(done.exitCode, 0);
    assert.ok(done.startedAt && done.endedAt && done.startedAt <= done.endedAt);

    const shell = await hosts.shell(host());
    const argv = (await shell.exec('cat /root/seen-argv')).stdout;
    assert.deepEqual(
      argv,
      Buffer.from('oci://example.com/yourimage:v1\0/root/bootstrap.data\0m1\0sda sdb\0'),
    );
    assert.equal(await run(shell, 'cat /root/seen-token'), start.registryToken);
    assert.equal(
      await run(shell, 'stat -c "%a %n" /root/image-url-command /root/bootstrap.data'),
      '700 /root/image-url-command\n600 /root/bootstrap.data\n',
    );
    assert.deepEqual((await shell.exec('cat /root/image-url-command')).stdout, Buffer.from(command.bytes));
    assert.equal(await run(shell, 'cat /root/bootstrap.data'), start.bootstrapData);
    assert.equal(await run(shell, 'cat /root/image-url-command.log'), 'IMAGE_URL_DONE\n');
    // Its own session and process group (detached; stop() signals the group), pid recorded.
    const [pid, sid, pgid] = (await run(shell, 'cat /root/seen-ids')).trim().split(/\s+/);
    assert.equal(sid, pid);
    assert.equal(pgid, pid);
    assert.equal((await run(shell, 'cat /root/image-url-command.pid')).trim(), pid);
  });

  const markerCases: [
    string,
    string,
    ImageUrlCommandState,
    (ImageUrlCommandFailureReason | undefined)?,
    number?,
  ][] = [
    ['marker on the last line', 'echo working; echo IMAGE_URL_DONE', 'succeeded'],
    ['marker last, exit code 3', 'echo IMAGE_URL_DONE; exit 3', 'succeeded', undefined, 3],
    ['marker inside the last line, no newline', 'printf "done: IMAGE_URL_DONE (ok)"', 'succeeded'],
    ['marker last on stderr', 'echo working; echo IMAGE_URL_DONE >&2', 'succeeded'],
    ['no marker, exit code 0', 'echo all fine', 'failed', 'marker-missing', 0],
    ['no output at all', 'true', 'failed', 'marker-missing'],
    ['marker then a trailing empty line', 'echo IMAGE_URL_DONE; echo', 'failed', 'output-after-marker'],
    ['marker then another line', 'echo IMAGE_URL_DONE; echo cleanup', 'failed', 'output-after-marker'],
    [
      'marker then a line, exit code 0',
      'echo IMAGE_URL_DONE; echo x; exit 0',
      'failed',
      'output-after-marker',
      0,
    ],
  ];
  for (const [name, body, state, reason, exitCode] of markerCases) {
    it(`applies the IMAGE_URL_DONE rule: ${name} → ${state}`, async () => {
      await hosts.bootRescue(host());
      const session = await hosts.connect(host());
      await session.startImageUrlCommand({ ...start, command: bashCommand(body) });
      const done = await awaitState(session, start.attemptId, ['succeeded', 'failed']);
      assert.equal(done.state, state, done.failure?.message);
      assert.equal(done.failure?.reason, reason);
      if (exitCode !== undefined) assert.equal(done.exitCode, exitCode);
    });
  }

  it('uploads a command from a local file, as the controller does from /shared', async () => {
    await hosts.bootRescue(host());
    const session = await hosts.connect(host());
    const folder = await mkdtemp(join(tmpdir(), 'imageurl-shared-'));
    hosts.onStop(() => rm(folder, { recursive: true, force: true }));
    const path = join(folder, 'image-url-command-install-foo.sh');
    await writeFile(path, '#!/bin/bash\necho "installing $1"\necho IMAGE_URL_DONE\n');
    await assert.rejects(
      session.startImageUrlCommand({ ...start, command: { path: join(folder, 'missing') } }),
      (error) => isRescueError(error, 'RESCUE_INVALID_INPUT') && /command\.path/.test(error.message),
    );
    await session.startImageUrlCommand({ ...start, command: { path } });
    const done = await awaitState(session, start.attemptId, ['succeeded', 'failed']);
    assert.equal(done.state, 'succeeded', done.failure?.message);
    assert.equal(done.log.tail, `installing ${start.imageUrl}\nIMAGE_URL_DONE\n`);
  });

  it('rejects bad root devices before anything is copied', async () => {
    await hosts.bootRescue(host());
    const session = await hosts.connect(host());
    const shell = await hosts.shell(host());
    for (const rootDevices of [['/dev/sda'], ['sda sdb'], [''], [], ['sda', 'sd\tb']]) {
      await assert.rejects(
        session.startImageUrlCommand({ ...start, rootDevices, command: bashCommand('echo IMAGE_URL_DONE') }),
        (error) => isRescueError(error, 'RESCUE_INVALID_INPUT') && /rootDevices/.test(error.message),
        JSON.stringify(rootDevices),
      );
    }
    assert.equal(await run(shell, 'ls -A /root'), '.ssh\n');
  });

  it('reports the output.json message while running and tolerates a malformed one', async () => {
    await hosts.bootRescue(host());
    const session = await hosts.connect(host());
    const shell = await hosts.shell(host());
    const body = [
      `echo '{"status":"Running","message":"downloading image for ${start.registryToken}"}' >/root/output.json`,
      'while [ ! -e /root/next ]; do sleep 0.05; done',
      'printf "{\\"message\\": " >/root/output.json',
      'while [ ! -e /root/finish ]; do sleep 0.05; done',
      'echo IMAGE_URL_DONE',
    ].join('\n');
    await session.startImageUrlCommand({ ...start, command: bashCommand(body) });
    const running = await awaitState(session, start.attemptId, ['running']);
    assert.deepEqual(running.outputJson, { status: 'message', message: 'downloading image for [REDACTED]' });
    await run(shell, 'touch /root/next');
    const malformed = await hostsWait(async () => {
      const observation = await session.observe({ attemptId: start.attemptId });
      return observation.outputJson.status === 'unreadable' ? observation : undefined;
    });
    assert.equal(malformed.state, 'running');
    await run(shell, 'touch /root/finish');
    assert.equal((await awaitState(session, start.attemptId, ['succeeded', 'failed'])).state, 'succeeded');
  });

  it('stops the command and everything in its process group; a stopped command has failed', async () => {
    await hosts.bootRescue(host());
    const session = await hosts.connect(host());
    const shell = await hosts.shell(host());
    const body = [
      'bash -c \'trap "" TERM; while true; do sleep 0.1; done\' &',
      'echo IMAGE_URL_DONE',
      'sleep 600',
    ].join('\n');
    await session.startImageUrlCommand({ ...start, command: bashCommand(body) });
    await awaitState(session, start.attemptId, ['running']);
    const pgid = (await run(shell, 'cat /root/image-url-command.pid')).trim();
    assert.notEqual(await run(shell, `ps -eo pgid= | grep -cx " *${pgid}" || true`), '0\n');

    const stopped = await session.stop({ attemptId: start.attemptId, graceMs: 300 });
    assert.equal(stopped.state, 'failed');
    assert.equal(stopped.failure?.reason, 'stopped');
    assert.equal(stopped.exitCode, 143);
    assert.equal(await run(shell, `ps -eo pgid= | grep -cx " *${pgid}" || true`), '0\n');
    // Stopping again, or another attempt, changes nothing.
    assert.equal((await session.stop({ attemptId: start.attemptId })).failure?.reason, 'stopped');
    assert.equal((await session.stop({ attemptId: 'other' })).failure?.reason, 'other-attempt');
  });

  it('refuses a second attempt on the same boot', async () => {
    await hosts.bootRescue(host());
    const session = await hosts.connect(host());
    await session.startImageUrlCommand({ ...start, command: bashCommand('echo IMAGE_URL_DONE') });
    await assert.rejects(
      session.startImageUrlCommand({
        ...start,
        attemptId: 'attempt-2',
        command: bashCommand('echo IMAGE_URL_DONE'),
      }),
      (error) => isRescueError(error, 'RESCUE_ATTEMPT_CONFLICT') && /attempt-1/.test(error.message),
    );
    const other = await session.observe({ attemptId: 'attempt-2' });
    assert.equal(other.state, 'failed');
    assert.equal(other.failure?.reason, 'other-attempt');
    assert.equal(other.attemptId, 'attempt-1');
  });
});

async function hostsWait<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const { waitFor } = await import('../../sim/process/wait-for.js');
  return waitFor(probe, { deadlineMs: 10_000, description: 'the observation' });
}
