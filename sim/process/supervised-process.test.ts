import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProcessGroup } from './process-group.js';
import { waitFor } from './wait-for.js';

describe('SupervisedProcess', () => {
  it('resolves a readiness wait once the output matches', async () => {
    const group = new ProcessGroup();
    try {
      const proc = group.start({
        name: 'echo',
        command: '/bin/sh',
        args: ['-c', 'echo warming; echo listening; sleep 30'],
      });
      await proc.waitForOutput((text) => text.includes('listening'), 5_000);
      assert.equal(proc.running, true);
    } finally {
      await group.stopAll();
    }
  });

  it('keeps the whole output in its log file, where the tail is bounded', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'imageurl-process-log-'));
    const group = new ProcessGroup();
    try {
      const logFile = join(dir, 'out.log');
      // 200 KiB, more than the tail keeps, on stdout and stderr.
      const proc = group.start({
        name: 'chatty',
        command: '/bin/sh',
        args: ['-c', 'head -c 204800 /dev/zero | tr "\\0" x; echo; echo last >&2'],
        logFile,
      });
      await proc.waitForExit();
      await waitFor(async () => ((await readFile(logFile, 'utf8')).includes('last') ? true : undefined), {
        deadlineMs: 5_000,
        description: 'the log file complete',
      });
      const text = await readFile(logFile, 'utf8');
      assert.equal(text.length, 204800 + '\nlast\n'.length);
      assert.ok(proc.output.text().length < text.length, 'the tail is shorter');
    } finally {
      await group.stopAll();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports an early exit with the exit status and the last output', async () => {
    const group = new ProcessGroup();
    const proc = group.start({
      name: 'broken',
      command: '/bin/sh',
      args: ['-c', 'echo bad flag >&2; exit 3'],
    });
    await assert.rejects(
      proc.waitForOutput((text) => text.includes('never'), 5_000),
      (error: Error) => {
        assert.match(error.message, /broken exited \(code 3\) before it was ready/);
        assert.match(error.message, /bad flag/);
        return true;
      },
    );
    await group.stopAll();
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const group = new ProcessGroup();
    const proc = group.start({
      name: 'stubborn',
      command: '/bin/bash',
      args: ['-c', "trap '' TERM; echo up; sleep 30 & wait"],
    });
    await proc.waitForOutput((text) => text.includes('up'), 5_000);
    await group.stopAll({ graceMs: 100 });
    assert.equal(await proc.waitForExit(), 'signal SIGKILL');
  });

  it('hands secrets over on stdin, never on the command line', async () => {
    const group = new ProcessGroup();
    try {
      const proc = group.start({
        name: 'cat',
        command: '/bin/sh',
        args: ['-c', 'read secret; echo "got $secret"; sleep 30'],
        stdin: 's3cr3t\n',
      });
      await proc.waitForOutput((text) => text.includes('got s3cr3t'), 5_000);
      const cmdline = await readFile(`/proc/${proc.pid ?? 0}/cmdline`, 'utf8');
      assert.doesNotMatch(cmdline, /s3cr3t/);
    } finally {
      await group.stopAll();
    }
  });

  it('fails clearly when the executable does not exist', async () => {
    const group = new ProcessGroup();
    const proc = group.start({ name: 'ghost', command: '/nonexistent/ghost', args: [] });
    await assert.rejects(
      proc.waitForOutput(() => false, 5_000),
      /ghost exited \(failed to start: spawn \/nonexistent\/ghost ENOENT\)/,
    );
    await group.stopAll();
  });
});

describe('stopping a SupervisedProcess', () => {
  it('also ends the processes it started', async () => {
    const group = new ProcessGroup();
    const proc = group.start({
      name: 'wrapper',
      command: '/bin/sh',
      args: ['-c', 'sleep 30 & echo child=$!; wait'],
    });
    await proc.waitForOutput((text) => /child=\d+/.test(text), 5_000);
    const child = Number(/child=(\d+)/.exec(proc.output.text())?.[1]);
    await group.stopAll();
    // Gone, or a zombie waiting for init to reap it: either way no longer running. A killed
    // process on a busy machine may still show R until the scheduler lets it die, so this waits.
    const stateOfChild = (): Promise<string> =>
      readFile(`/proc/${child}/stat`, 'utf8').then(
        (stat) => stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3),
        () => 'gone',
      );
    await waitFor(
      async () => {
        const state = await stateOfChild();
        return state === 'gone' || state === 'Z' ? state : undefined;
      },
      { deadlineMs: 5_000, description: "the wrapper's child to end" },
    );
  });
});
