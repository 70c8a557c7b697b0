import { mkdir } from 'node:fs/promises';
import type { HostStatus } from '../../baremetal/index.js';
import type { MachineStatus } from '../../provisioning/index.js';
import { hcloudToken, robotAccount } from './credentials.js';
import { deleteHcloud, provisionHcloud } from './hcloud-run.js';
import { ProgressLines } from './progress-lines.js';
import { ProvisionError } from './provision-errors.js';
import { checkName, requestOf, usage, type ProvisionFlags } from './provision-flags.js';
import { differingFlags } from './provision-request.js';
import { deleteRobot, provisionRobot } from './robot-run.js';
import type { RunContext } from './run-context.js';
import { defaultStateDir, StateFile } from './state-file.js';
import { takeLock } from './state-lock.js';

export interface ProvisionIo {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly signal: AbortSignal;
}

/** Where the credentials and the state live, for both provision and delete. */
export interface CommonFlags {
  readonly hcloudTokenFile?: string | undefined;
  readonly robotCredentialsFile?: string | undefined;
  readonly stateDir?: string | undefined;
}

type AnyStatus = MachineStatus | HostStatus;

/** Holds the name's lock around `run`. */
async function locked<T>(state: StateFile<AnyStatus>, run: () => Promise<T>): Promise<T> {
  await mkdir(state.dir, { recursive: true, mode: 0o700 });
  const lock = await takeLock(state.lockPath, state.name);
  try {
    return await run();
  } finally {
    await lock.release();
  }
}

/** `imageurl provision`: resolves with the exit code (0 running, 1 failed, 130 stopped to resume). */
export async function runProvision(flags: ProvisionFlags & CommonFlags, io: ProvisionIo): Promise<number> {
  const name = checkName(flags.name);
  const state = new StateFile<AnyStatus>(flags.stateDir ?? defaultStateDir(io.env), name);
  return locked(state, async () => {
    const stored = await state.read();
    const request = requestOf(flags, stored?.request);
    const differing = stored === undefined ? [] : differingFlags(stored.request, request);
    if (differing.length > 0)
      throw usage(
        differing.join(', '),
        name,
        `the values of the run in progress (${state.path}); run imageurl provision delete ${name} to start over`,
      );
    const progress = new ProgressLines(io.stdout);
    const { target } = request;
    const ctx = { request, state, stored, env: io.env, progress, signal: io.signal };
    if (target.kind === 'hcloud')
      return provisionHcloud(
        ctx as RunContext<MachineStatus>,
        await hcloudToken(flags.hcloudTokenFile, io.env),
      );
    return provisionRobot(
      ctx as RunContext<HostStatus>,
      await robotAccount(flags.robotCredentialsFile, io.env),
    );
  });
}

/** `imageurl provision delete NAME`: what the run created goes, then its state file. */
export async function runProvisionDelete(name: string, flags: CommonFlags, io: ProvisionIo): Promise<number> {
  const state = new StateFile<AnyStatus>(flags.stateDir ?? defaultStateDir(io.env), checkName(name));
  return locked(state, async () => {
    const stored = await state.read();
    if (stored === undefined)
      throw new ProvisionError('NOT_FOUND', `no provision named ${name}: ${state.path} does not exist`);
    const progress = new ProgressLines(io.stdout);
    const { request } = stored;
    const ctx = { request, state, stored, env: io.env, progress, signal: io.signal };
    progress.line(`deleting ${name} (state: ${state.path})`);
    const code =
      request.target.kind === 'hcloud'
        ? await deleteHcloud(
            ctx as RunContext<MachineStatus>,
            await hcloudToken(flags.hcloudTokenFile, io.env),
          )
        : await deleteRobot(
            ctx as RunContext<HostStatus>,
            await robotAccount(flags.robotCredentialsFile, io.env),
          );
    if (code !== 0) return code;
    await state.remove();
    progress.line(`${name}: deleted; state file removed`);
    return 0;
  });
}
