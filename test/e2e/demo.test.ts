import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Processes whose environment carries `marker` (the demo's children inherit it), as scripts/leak-check.sh finds them. */
async function processesMarked(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((name) => /^\d+$/.test(name))) {
    const environ = await readFile(`/proc/${pid}/environ`, 'utf8').catch(() => '');
    if (environ.split('\0').includes(marker)) {
      found.push(
        `${pid}: ${(await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')).replace(/\0/g, ' ')}`,
      );
    }
  }
  return found;
}

/** Everything printed from `pattern` on, to check what came before and after it. */
function linesAround(output: string, pattern: RegExp): { before: string; after: string } {
  const at = output.search(pattern);
  assert.ok(at >= 0, `no ${String(pattern)} in:\n${output}`);
  return { before: output.slice(0, at), after: output.slice(at) };
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

  it('by default runs Cluster API’s managers on the hcloud-image-url template: Machines, boot states, the workload cluster’s Ready nodes with hcloud:// providerIDs', async () => {
    const run = startDemo(['--machines', '2']);
    runs.push(run);
    const code = await run.exited;
    const output = run.output();
    assert.equal(code, 0, output);
    assert.match(output, /starting Cluster API's managers .*\n\s+✓ Cluster API v1\.14\.\d+/);
    assert.match(
      output,
      /applying the hcloud-image-url template: .*KubeadmControlPlane \(1\) and MachineDeployment \(2 workers\)/,
    );
    assert.match(output, /Machine demo-control-plane-\S+: Provisioning/);
    assert.match(output, /Machine demo-md-0-\S+: Running \(Node \S+\)/);
    assert.match(output, /3 of 3 machines reached OperatingSystemRunning/);
    const { after: nodes } = linesAround(output, /get nodes -o wide/);
    assert.match(nodes, /^ {2}NAME +STATUS +VERSION +INTERNAL-IP +PROVIDER-ID$/m);
    const rows = nodes.match(/^ {2}\S+ +Ready +v\S+ +\S* +hcloud:\/\/\d+$/gm) ?? [];
    assert.equal(rows.length, 3, nodes);
    assert.match(nodes, /✓ 3 nodes Ready with hcloud:\/\/ providerIDs/);
    assert.match(nodes, /export KUBECONFIG=\S+\/demo\.kubeconfig/);
    assert.match(output, /^BootingToRealOS +OperatingSystemRunning +3(?: +\d+\.\d\d){5}$/m);
    assert.match(output, /Done: nothing of the demo is left running\./);
    assert.ok(!output.includes('cleanup failed'), output);
  });

  it('tells the quick story with --without-cluster-api: hand-made Machines, each booted OS checked by login, the table', async () => {
    const run = startDemo(['--without-cluster-api', '--machines', '2']);
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
    assert.match(output, /^oldState +newState +count +avg\(s\) +min\(s\) +max\(s\) +p50\(s\) +p95\(s\)$/m);
    assert.match(output, /^BootingToRealOS +OperatingSystemRunning +2(?: +\d+\.\d\d){5}$/m);
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
    assert.match(output, /^oldState +newState +count +avg\(s\) +min\(s\) +max\(s\) +p50\(s\) +p95\(s\)$/m);
    assert.match(output, /^ensure-provisioned +provisioned +2(?: +\d+\.\d\d){5}$/m);
    assert.match(output, /get hetznerbaremetalhosts,hetznerbaremetalmachines -n imageurl-demo/);
    assert.match(output, /Done: nothing of the demo is left running\./);
    assert.ok(!output.includes('cleanup failed'), output);
    const kubeconfig = /export KUBECONFIG=(\S+)/.exec(output)?.[1] ?? assert.fail(output);
    const workDir = kubeconfig.split('/imageurl-kube-')[0] ?? '';
    await assert.rejects(readdir(workDir), { code: 'ENOENT' }, 'the demo removed its scratch folder');
    assert.deepEqual(await commandLinesMentioning(workDir), [], 'no process of the demo is left');
  });

  // Small settings: one machine, Hetzner's durations × 0.01; every stuck machine ends the demo at once.
  const quick = ['--without-cluster-api', '--machines', '1', '--time-scale', '0.01', '--timeout', '60'];

  it('ends at once with the reason when the command is missing, the look-around printed before the machines', async () => {
    const run = startDemo([...quick, '--command', 'image-url-command-missing']);
    runs.push(run);
    await run.waitFor(/applying HetznerCluster/, 300_000);
    const applied = Date.now();
    const code = await run.exited;
    const output = run.output();
    assert.equal(code, 1, output);
    assert.ok(
      Date.now() - applied < 30_000,
      `ended ${String(Date.now() - applied)} ms after applying:\n${output}`,
    );
    assert.match(
      output,
      /demo-worker-1 +cannot go on: ImageURLCommandNotAccessible: .*image-url-command-missing/,
    );
    assert.match(output, /Demo failed: demo-worker-1 cannot go on: ImageURLCommandNotAccessible/);
    assert.match(output, /applying HetznerCluster, Cluster and 1 Machine with an HCloudMachine …/);
    const { before } = linesAround(output, /applying HetznerCluster/);
    assert.match(before, /export KUBECONFIG=\S+/);
    assert.match(before, /kubectl describe hcloudmachine demo-worker-1 -n imageurl-demo/);
    assert.match(output, /Done: nothing of the demo is left running\./);
  });

  it('ends at once with the reason when a dedicated server cannot get its command; counts in the singular', async () => {
    const run = startDemo(['--baremetal', ...quick, '--command', 'image-url-command-missing']);
    runs.push(run);
    const code = await run.exited;
    const output = run.output();
    assert.equal(code, 1, output);
    assert.match(output, /Robot simulator with 1 dedicated server …/);
    assert.match(output, /\(server \d+, one 64 MiB disk sda each\)/);
    assert.match(output, /1 HetznerBareMetalHost and 1 Machine with a HetznerBareMetalMachine …/);
    assert.match(output, /demo-host-1 +cannot go on: ImageURLCommandNotAccessible: /);
    assert.match(output, /Done: nothing of the demo is left running\./);
  });

  it('shows the admission webhook refusing a command name and ends', async () => {
    const run = startDemo([...quick, '--command', 'install.sh']);
    runs.push(run);
    const code = await run.exited;
    const output = run.output();
    assert.equal(code, 1, output);
    assert.match(output, /✗ refused: .*demo-worker-1.*spec\.imageURLCommand: Invalid value: "install\.sh"/);
    assert.match(output, /Demo failed: the apiserver refused the demo's objects/);
    assert.ok(!/\n\s+at /.test(output), `no stack trace:\n${output}`);
    assert.match(output, /Done: nothing of the demo is left running\./);
  });

  it('ends with the command’s own words when the https disk command is given the oci:// image', async () => {
    const run = startDemo([...quick, '--command', 'image-url-command-https-disk']);
    runs.push(run);
    const code = await run.exited;
    const output = run.output();
    assert.equal(code, 1, output);
    assert.match(
      output,
      /demo-worker-1 +cannot go on: \w+: .*image-url-command-https-disk installs images from https:\/\/ URLs only, got oci:\/\//,
    );
    assert.doesNotMatch(output, /reached OperatingSystemRunning/);
  });

  it('ends quietly and leaves nothing running when its reader goes away (imageurl demo | head -2)', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'imageurl-demo-pipe-'));
    const marker = `IMAGEURL_DEMO_PIPE_TEST=${randomUUID()}`;
    const [name, value] = marker.split('=') as [string, string];
    // A fixed command line (no user data): the pipe into head is what is tested.
    const shell = spawn(
      'bash',
      ['-c', 'node "$0" demo --without-cluster-api --machines 1 --time-scale 0.01 | head -2', bin],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, TMPDIR: scratch, [name]: value },
      },
    );
    let stdout = '';
    let stderr = '';
    shell.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    shell.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => shell.on('exit', (code) => resolve(code)));
    try {
      const timer = setTimeout(() => shell.kill('SIGKILL'), 180_000);
      await exited.finally(() => clearTimeout(timer));
      assert.equal(stdout.trimEnd().split('\n').length, 2, stdout);
      assert.equal(stderr, '', 'nothing on stderr (no EPIPE error)');
      assert.deepEqual(await processesMarked(marker), [], 'no process of the demo is left');
      const left = (await readdir(scratch)).filter((entry) => entry.startsWith('imageurl-'));
      assert.deepEqual(left, [], 'the demo removed its scratch folder');
    } finally {
      for (const leftover of await processesMarked(marker))
        process.kill(Number(leftover.split(':')[0]), 'SIGKILL');
      await rm(scratch, { recursive: true, force: true });
    }
  });

  it('stops everything on Ctrl-C while it keeps running for a look around', async () => {
    const run = startDemo(['--without-cluster-api', '--machines', '1', '--no-exit']);
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
