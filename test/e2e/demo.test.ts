import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { processExists } from '../support/processes.js';

const bin = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));

/** Command lines of running processes that mention `text` (kube-apiserver, etcd, sshd… name the work dir). */
async function commandLinesMentioning(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const line = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (line.includes(text)) found.push(`${pid}: ${line.replace(/\0/g, ' ')}`);
  }
  return found;
}

interface DemoRun {
  readonly child: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code. */
  readonly exited: Promise<number | null>;
  /** Resolves once the output matches, rejects at the deadline or exit. */
  waitFor(pattern: RegExp, deadlineMs: number): Promise<void>;
}

/** `imageurl demo` as a user runs it, stdin closed (so not interactive) unless told otherwise. */
function startDemo(args: readonly string[]): DemoRun {
  const child = spawn(process.execPath, [bin, 'demo', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  const listeners = new Set<() => void>();
  const collect = (chunk: Buffer): void => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    output: () => text,
    exited,
    waitFor: (pattern, deadlineMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => finish(new Error(`no ${String(pattern)} within ${deadlineMs} ms`)),
          deadlineMs,
        );
        const check = (): void => {
          if (pattern.test(text)) finish();
        };
        const finish = (error?: Error): void => {
          clearTimeout(timer);
          listeners.delete(check);
          if (error) reject(error);
          else resolve();
        };
        listeners.add(check);
        void exited.then(() =>
          finish(pattern.test(text) ? undefined : new Error(`exited without ${String(pattern)}`)),
        );
        check();
      }),
  };
}

describe('imageurl demo (the README’s main job)', () => {
  const runs: DemoRun[] = [];
  after(async () => {
    for (const run of runs) {
      if (run.child.exitCode === null && run.child.pid !== undefined) run.child.kill('SIGKILL');
      await run.exited;
    }
  });

  it('provisions machines end to end, shows that each booted the OS its command wrote, prints the table and stops everything', async () => {
    const run = startDemo(['--machines', '2']);
    runs.push(run);
    const code = await run.exited;
    const output = run.output();
    assert.equal(code, 0, output);
    assert.match(output, /2 of 2 machines reached OperatingSystemRunning/);
    for (const name of ['demo-worker-1', 'demo-worker-2']) {
      assert.match(output, new RegExp(`${name} +Initializing → EnablingRescue`));
      assert.match(output, new RegExp(`${name} +RunningImageCommand → BootingToRealOS`));
      assert.match(output, new RegExp(`${name} +hcloud://\\d+ +ssh root@[\\d.]+ hostname → ${name} ✓`));
    }
    assert.match(output, /^oldState +newState +avg\(s\) +min\(s\) +max\(s\)$/m);
    assert.match(output, /^BootingToRealOS +OperatingSystemRunning +\d+\.\d\d +\d+\.\d\d +\d+\.\d\d$/m);
    assert.match(output, /Done: nothing of the demo is left running\./);
    assert.ok(!output.includes('cleanup failed'), output);
  });

  it('provisions dedicated servers with --baremetal: follows the hosts, logs in to each installed OS, prints the table and stops everything', async () => {
    const run = startDemo(['--baremetal', '--machines', '2']);
    runs.push(run);
    const code = await run.exited;
    const output = run.output();
    assert.equal(code, 0, output);
    assert.match(output, /2 of 2 hosts reached provisioned/);
    for (const host of ['demo-host-1', 'demo-host-2']) {
      assert.match(output, new RegExp(`${host} +registering → image-installing`));
      assert.match(output, new RegExp(`${host} +ensure-provisioned → provisioned`));
    }
    for (const name of ['demo-worker-1', 'demo-worker-2']) {
      assert.match(output, new RegExp(`${name} +hcloud://bm-\\d+ +ssh root@[\\d.]+ hostname → bm-${name} ✓`));
    }
    assert.match(output, /^oldState +newState +avg\(s\) +min\(s\) +max\(s\)$/m);
    assert.match(output, /^ensure-provisioned +provisioned +\d+\.\d\d +\d+\.\d\d +\d+\.\d\d$/m);
    assert.match(output, /get hetznerbaremetalhosts,hetznerbaremetalmachines -n imageurl-demo/);
    assert.match(output, /Done: nothing of the demo is left running\./);
    assert.ok(!output.includes('cleanup failed'), output);
    const kubeconfig = /export KUBECONFIG=(\S+)/.exec(output)?.[1] ?? assert.fail(output);
    const workDir = kubeconfig.split('/imageurl-kube-')[0] ?? '';
    await assert.rejects(readdir(workDir), { code: 'ENOENT' }, 'the demo removed its scratch folder');
    assert.deepEqual(await commandLinesMentioning(workDir), [], 'no process of the demo is left');
  });

  it('stops everything on Ctrl-C while it keeps running for a look around', async () => {
    const run = startDemo(['--machines', '1', '--no-exit']);
    runs.push(run);
    await run.waitFor(/Press Ctrl-C to stop everything\./, 300_000);
    const kubeconfig = /export KUBECONFIG=(\S+)/.exec(run.output())?.[1] ?? assert.fail(run.output());
    const workDir = kubeconfig.split('/imageurl-kube-')[0] ?? '';
    run.child.kill('SIGINT');
    assert.equal(await run.exited, 0, run.output());
    assert.match(run.output(), /Done: nothing of the demo is left running\./);
    assert.ok(!processExists(run.child.pid ?? 0));
    await assert.rejects(readdir(workDir), { code: 'ENOENT' }, 'the demo removed its scratch folder');
    assert.deepEqual(await commandLinesMentioning(workDir), [], 'no process of the demo is left');
  });
});
