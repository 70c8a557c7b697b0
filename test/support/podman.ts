// Podman (Debian's, rootful) with its own image storage and state in a scratch folder, running
// containers as a pod's restricted securityContext would: the image's non-root user, read-only
// root filesystem without the tmpfs mounts podman adds, no capabilities, no-new-privileges, the
// host's network (the simulators listen on loopback). Every container started is removed by
// `stop()`, and by a process-exit hook if the test process ends first.
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ProcessGroup } from '../../sim/process/process-group.js';
import type { SupervisedProcess } from '../../sim/process/supervised-process.js';

const PODMAN = '/usr/bin/podman';

/**
 * Why these flags (found on a hybrid cgroup v1/v2 machine without CAP_SYS_RESOURCE):
 *  - runc, not crun: crun refuses to start ("cgroups in hybrid mode not supported, drop all
 *    controllers from cgroupv2") while the v2 hierarchy has a controller enabled.
 *  - cgroupfs: systemd is not PID 1 everywhere tests run.
 *  - explicit ulimits: podman's defaults for root (nofile 1048576, nproc 4194304) exceed the
 *    hard limits there, and setrlimit fails with EPERM without CAP_SYS_RESOURCE.
 */
const RUNTIME_FLAGS = ['--cgroup-manager=cgroupfs', '--runtime=runc', '--events-backend=file'];
const POD_FLAGS = [
  '--read-only',
  '--read-only-tmpfs=false',
  '--cap-drop=all',
  '--security-opt=no-new-privileges',
  '--network=host',
  '--pull=never',
  '--ulimit=nofile=4096:4096',
  '--ulimit=nproc=4096:4096',
  // The runtime kills a container that outlives every deadline of the tests.
  '--timeout=1200',
];

export interface ContainerSpec {
  readonly image: string;
  /** `host:container[:ro]` bind mounts. */
  readonly volumes?: readonly string[];
  /** Set in the container; values are passed through podman's environment, never its argv. */
  readonly env?: Readonly<Record<string, string>>;
  readonly entrypoint?: string;
  readonly args?: readonly string[];
}

export interface Podman {
  /** Pulls from a registry with the given auth file (plain HTTP). */
  pull(reference: string, authFile: string): Promise<void>;
  /** Runs a container to its end; resolves with its output, rejects if it fails. */
  run(spec: ContainerSpec): Promise<string>;
  /** Starts a long-running container attached to a supervised `podman run`. */
  start(name: string, spec: ContainerSpec): SupervisedProcess;
  /** The host pid of a running container's first process. */
  pid(name: string): Promise<number>;
  /** Stops and removes every container, removes the storage. */
  stop(): Promise<void>;
}

export async function startPodman(scratch: string): Promise<Podman> {
  const dir = join(scratch, 'podman');
  await mkdir(dir, { recursive: true });
  // Podman refuses a runroot longer than 50 characters (it holds sockets), which a test run's
  // temp folder can exceed: the short-lived state goes to /tmp.
  const state = await mkdtemp('/tmp/imageurl-podman-');
  const globals = [
    ...['--root', join(dir, 'storage'), '--runroot', join(state, 'run'), '--tmpdir', join(state, 'tmp')],
    ...RUNTIME_FLAGS,
  ];
  const group = new ProcessGroup();
  const names = new Set<string>();
  let count = 0;
  const podman = async (args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> => {
    const result = await promisify(execFile)(PODMAN, [...globals, ...args], {
      env: { PATH: process.env.PATH, ...env },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: unknown) => {
      const failed = error as { stderr?: string; message: string };
      throw new Error(`podman ${args.slice(0, 2).join(' ')} failed: ${failed.stderr || failed.message}`);
    });
    return result.stdout + result.stderr;
  };
  const removeAll = (): void => {
    for (const name of names) {
      try {
        execFileSync(PODMAN, [...globals, 'rm', '--force', '--time=0', name], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
  };
  const unhook = group.addExitHook(removeAll);
  const runArgs = (name: string, spec: ContainerSpec): { args: string[]; env: NodeJS.ProcessEnv } => ({
    args: [
      ...['run', '--rm', `--name=${name}`, ...POD_FLAGS],
      ...(spec.volumes ?? []).map((volume) => `--volume=${volume}`),
      ...Object.keys(spec.env ?? {}).map((key) => `--env=${key}`),
      ...(spec.entrypoint === undefined ? [] : [`--entrypoint=${spec.entrypoint}`]),
      spec.image,
      ...(spec.args ?? []),
    ],
    env: { ...spec.env },
  });
  return {
    async pull(reference, authFile) {
      await podman(['pull', '--quiet', '--tls-verify=false', `--authfile=${authFile}`, reference]);
    },
    async run(spec) {
      const name = `imageurl-run-${++count}`;
      names.add(name);
      const { args, env } = runArgs(name, spec);
      return podman(args, env);
    },
    start(name, spec) {
      names.add(name);
      const { args, env } = runArgs(name, spec);
      return group.start({
        name: `container ${name}`,
        command: PODMAN,
        args: [...globals, ...args],
        env: { PATH: process.env.PATH, ...env },
      });
    },
    async pid(name) {
      const pid = Number((await podman(['inspect', '--format={{.State.Pid}}', name])).trim());
      if (!Number.isInteger(pid) || pid <= 0) throw new Error(`container ${name} has no running process`);
      return pid;
    },
    async stop() {
      // SIGTERM to the container first (as the kubelet does), then whatever is left.
      for (const name of names) await podman(['stop', '--time=10', name]).catch(() => undefined);
      await group.stopAll({ graceMs: 5_000 });
      removeAll();
      unhook();
      // Not `system reset`: for rootful podman that also removes the machine's network configs.
      await podman(['rmi', '--all', '--force']).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
      await rm(state, { recursive: true, force: true });
    },
  };
}
