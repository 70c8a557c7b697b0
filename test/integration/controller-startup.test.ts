// `imageurl controller` at start-up, as an operator meets it: the start-up line, an apiserver
// that never answers (one line per backoff step, not one per informer), a CRD that is not
// installed (named, and the process exits after --cache-sync-timeout), a port that is taken.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startControlPlane, type KubeControlPlane } from '../../sim/kube-control-plane/index.js';
import { ProcessGroup } from '../../sim/process/process-group.js';
import type { SupervisedProcess } from '../../sim/process/supervised-process.js';

const BIN = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));
const CRDS = fileURLToPath(new URL('../../config/crd/bases', import.meta.url));
const QUIET_PORTS = ['--metrics-bind-address', '0', '--health-probe-bind-address', '0'];

/** A TCP port that accepts connections and never says a word (a hung apiserver, a black hole). */
async function silentPort(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { port, close };
}

/** How the process ended, or a failure naming its output when it runs on past `ms`. */
async function exitWithin(child: SupervisedProcess, ms: number): Promise<string> {
  const deadline = new AbortController();
  const late = new Promise<string>((resolve) => {
    const timer = setTimeout(() => resolve('still running'), ms);
    deadline.signal.addEventListener('abort', () => clearTimeout(timer));
  });
  try {
    const ended = await Promise.race([child.waitForExit(), late]);
    assert.notEqual(ended, 'still running', `still running after ${ms} ms:\n${child.output.text()}`);
    return ended;
  } finally {
    deadline.abort();
  }
}

function kubeconfigFor(server: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'u', user: { token: 'never-checked' } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'c',
  });
}

describe('imageurl controller start-up', () => {
  const group = new ProcessGroup();
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'controller-startup-'));
  });

  after(async () => {
    await group.stopAll({ graceMs: 2_000 });
    await rm(dir, { recursive: true, force: true });
  });

  function controller(name: string, args: readonly string[]): SupervisedProcess {
    return group.start({
      name,
      command: process.execPath,
      args: [BIN, 'controller', ...args],
      env: { ...process.env, IMAGEURL_LOG_LEVEL: 'info' },
    });
  }

  it('against a port that never answers: one start-up line, then one line per backoff step', async () => {
    const silent = await silentPort();
    try {
      const kubeconfig = join(dir, 'silent.kubeconfig');
      await writeFile(kubeconfig, kubeconfigFor(`https://127.0.0.1:${silent.port}`));
      const missing = join(dir, 'no-such-commands');
      const child = controller('controller (silent apiserver)', [
        ...['--kubeconfig', kubeconfig, '--commands-dir', missing, '--request-timeout', '300ms'],
        ...QUIET_PORTS,
      ]);
      await child.waitForOutput((text) => text.includes('retry 4 in'), 60_000);
      await child.stop({ graceMs: 2_000 });
      const lines = child.output.text().split('\n');
      const starting = lines.filter((line) => line.includes('Starting imageurl controller'));
      assert.equal(starting.length, 1, child.output.text());
      assert.match(starting[0] ?? '', new RegExp(`"apiserver":"https://127\\.0\\.0\\.1:${silent.port}"`));
      assert.match(starting[0] ?? '', /"namespace":"all".*"commands":0.*"webhook":"off"/);
      assert.match(starting[0] ?? '', /"version":"\d+\.\d+\.\d+ \(commit /);
      assert.ok(lines.some((line) => line.includes(`Commands folder ${missing} is missing`)));
      const outage = lines.filter((line) => line.includes('not answering'));
      const attempts = outage.map((line) => Number(/retry (\d+) in/.exec(line)?.[1]));
      assert.deepEqual(attempts.slice(0, 4), [1, 2, 3, 4], `one line per step:\n${outage.join('\n')}`);
      assert.equal(new Set(attempts).size, attempts.length, `a step logged twice:\n${outage.join('\n')}`);
      assert.ok(!lines.some((line) => line.includes('Restarting watch after error')), 'a line per informer');
    } finally {
      await silent.close();
    }
  });

  it('names a port taken by another process by its flag, and exits non-zero', async () => {
    const taken = await silentPort();
    try {
      const kubeconfig = join(dir, 'taken.kubeconfig');
      await writeFile(kubeconfig, kubeconfigFor(`https://127.0.0.1:${taken.port}`));
      const child = controller('controller (port taken)', [
        ...['--kubeconfig', kubeconfig, '--commands-dir', dir, '--health-probe-bind-address', '0'],
        ...['--metrics-bind-address', `127.0.0.1:${taken.port}`],
      ]);
      assert.equal(await exitWithin(child, 60_000), 'code 1');
      assert.match(
        child.output.text(),
        new RegExp(`imageurl: --metrics-bind-address 127\\.0\\.0\\.1:${taken.port}: address already in use`),
      );
    } finally {
      await taken.close();
    }
  });

  describe('against an apiserver without Cluster API', () => {
    let controlPlane: KubeControlPlane | undefined;

    before(async () => {
      controlPlane = await startControlPlane({ installClusterApiCrds: false, crdPaths: [CRDS] });
    });

    after(async () => {
      await controlPlane?.stop();
    });

    it('names the missing CRD and exits non-zero after --cache-sync-timeout', async () => {
      const child = controller('controller (no Cluster API)', [
        ...['--kubeconfig', controlPlane?.kubeconfigPath ?? '', '--commands-dir', dir],
        ...['--cache-sync-timeout', '5s', ...QUIET_PORTS],
      ]);
      assert.equal(await exitWithin(child, 60_000), 'code 1');
      const output = child.output.text();
      assert.match(output, /CRD machines\.cluster\.x-k8s\.io: not installed; retry 1 in/);
      assert.match(
        output,
        /imageurl: could not list every kind within --cache-sync-timeout 5s: .*CRD clusters\.cluster\.x-k8s\.io: not installed/,
      );
    });
  });
});
