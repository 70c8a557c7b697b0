import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  createHostProvisioner,
  initialHostStatus,
  isFatalErrorType,
  type BareMetalSettingsOverrides,
  type HostInput,
  type HostProvisioner,
  type HostStatus,
} from '../../baremetal/index.js';
import { HrobotServers } from '../../hetzner/robot/index.js';
import { fileCommandResolver } from '../../image-url/index.js';
import { systemClock } from '../../ports/clock.js';
import { isRobotError } from '../../ports/robot-errors.js';
import type { RobotServers } from '../../ports/robot-servers.js';
import { createSshRescueSystem } from '../../rescue/index.js';
import type { Credential, RobotAccount } from './credentials.js';
import { uploadedKeyName } from './hcloud-login-key.js';
import { ProvisionError } from './provision-errors.js';
import type { ProvisionRequest } from './provision-request.js';
import { announce, closing, type RunContext } from './run-context.js';
import { readLoginKey } from './ssh-key.js';
import { runSteps, type StepDriver } from './step-loop.js';

const second = 1000;

/** One server, watched by one process: it may look again sooner than the controller does. */
const PROVISION_SETTINGS: BareMetalSettingsOverrides = {
  requeue: { rescuePollMs: 2 * second, afterCommandStartMs: 2 * second, commandPollMs: 2 * second },
};

type Target = Extract<ProvisionRequest['target'], { kind: 'robot' }>;

function targetOf(request: ProvisionRequest): Target {
  if (request.target.kind !== 'robot') throw new Error('not a bare-metal provision');
  return request.target;
}

/** The production Robot client; $IMAGEURL_ROBOT_ENDPOINT points it elsewhere, as for the controller. */
function robotClient(account: RobotAccount, env: NodeJS.ProcessEnv): RobotServers {
  const endpoint = env['IMAGEURL_ROBOT_ENDPOINT'];
  return new HrobotServers({ ...account, ...(endpoint ? { endpoint } : {}) });
}

/** The first Robot call: wrong credentials or an unknown server number fail here, in one line. */
async function checkServer(
  robot: RobotServers,
  serverId: number,
  account: Credential<RobotAccount>,
): Promise<void> {
  try {
    await robot.getServer({ serverNumber: serverId });
  } catch (error) {
    if (isRobotError(error, 'ROBOT_UNAUTHORIZED'))
      throw new ProvisionError(
        'CREDENTIALS_REFUSED',
        `the Robot webservice refused the credentials from ${account.source}: check the webservice user and password`,
        { cause: error },
      );
    if (isRobotError(error, 'ROBOT_NOT_FOUND'))
      throw new ProvisionError('NOT_FOUND', `--robot-server: the Robot account has no server ${serverId}`, {
        cause: error,
      });
    throw error;
  }
}

function provisionerOf(ctx: RunContext<HostStatus>, robot: RobotServers): HostProvisioner {
  const ports = {
    robot,
    rescue: createSshRescueSystem(),
    commands: fileCommandResolver(ctx.request.commandFile),
    clock: systemClock(),
    events: ctx.progress.events(),
  };
  return createHostProvisioner(ports, {
    settings: PROVISION_SETTINGS,
    onTransition: (move) => ctx.progress.transition(move),
  });
}

async function hostInput(ctx: RunContext<HostStatus>, target: Target): Promise<HostInput> {
  const { request } = ctx;
  const login = await readLoginKey(request.sshKeyFile);
  const data =
    request.bootstrapDataFile === undefined
      ? undefined
      : await readFile(request.bootstrapDataFile, 'utf8').catch((error: unknown) => {
          throw new ProvisionError('FILE_UNUSABLE', `--bootstrap-data: ${(error as Error).message}`);
        });
  const [first, ...more] = target.rootDeviceWwns;
  const registryToken = ctx.env['OCI_REGISTRY_AUTH_TOKEN'];
  return {
    name: request.name,
    serverId: target.serverId,
    rootDeviceHints: more.length === 0 ? { wwn: first ?? '' } : { raid: { wwn: target.rootDeviceWwns } },
    request: {
      hostname: request.name,
      imageUrl: request.imageUrl,
      commandName: basename(request.commandFile),
      deviceStringType: '',
      swraid: more.length === 0 ? 0 : 1,
      ...(data === undefined ? {} : { bootstrapData: data }),
      os:
        target.osCheck === 'ssh'
          ? { check: 'ssh', privateKey: login.privateKey, port: 22 }
          : { check: 'none' },
    },
    rescueKey: {
      status: 'available',
      name: uploadedKeyName(request.name),
      publicKey: login.publicKey,
      privateKey: login.privateKey,
    },
    ...(registryToken ? { registryToken } : {}),
  };
}

function serverDetails(target: Target, status: HostStatus): string {
  return [`server ${target.serverId}`, status.ipv4, status.ipv6]
    .filter((part) => part !== undefined)
    .join(', ');
}

/** `imageurl provision --robot-server`: the HetznerBareMetalHost's engine with a state file. */
export async function provisionRobot(
  ctx: RunContext<HostStatus>,
  account: Credential<RobotAccount>,
): Promise<number> {
  const { request } = ctx;
  const target = targetOf(request);
  const robot = robotClient(account.value, ctx.env);
  await checkServer(robot, target.serverId, account);
  announce(ctx, `dedicated server ${target.serverId} as ${request.name}`);
  const input = await hostInput(ctx, target);
  const start = ctx.stored?.status ?? initialHostStatus();
  await ctx.state.write({ request, status: start });
  const provisioner = provisionerOf(ctx, robot);
  const driver: StepDriver<HostStatus> = {
    step: async (status) => {
      const outcome = await provisioner.reconcile(input, status);
      ctx.progress.note(outcome.message);
      return outcome;
    },
    save: (status) => ctx.state.write({ request, status }),
    ended: (status) =>
      status.provisioningState === 'provisioned'
        ? 'done'
        : isFatalErrorType(status.errorType)
          ? 'failed'
          : undefined,
  };
  const { status, end } = await runSteps(driver, start, ctx.signal);
  return closing(
    request.name,
    end,
    { state: status.provisioningState, details: serverDetails(target, status) },
    ctx.progress,
  );
}

/**
 * `imageurl provision delete` of a dedicated server: the host's deprovisioning (a running command
 * stopped, rescue disarmed, the Robot name set back). The server itself stays in the account.
 */
export async function deleteRobot(
  ctx: RunContext<HostStatus>,
  account: Credential<RobotAccount>,
): Promise<number> {
  const { request } = ctx;
  const target = targetOf(request);
  const robot = robotClient(account.value, ctx.env);
  await checkServer(robot, target.serverId, account);
  const login = await readLoginKey(request.sshKeyFile).catch(() => undefined);
  const input: HostInput = {
    name: request.name,
    serverId: target.serverId,
    deleting: true,
    rescueKey: login
      ? { status: 'available', name: uploadedKeyName(request.name), ...login }
      : { status: 'unavailable', message: `--ssh-key ${request.sshKeyFile} cannot be read` },
  };
  const provisioner = provisionerOf(ctx, robot);
  let released = false;
  const driver: StepDriver<HostStatus> = {
    step: async (status) => {
      const outcome = await provisioner.reconcile(input, status);
      released = outcome.released;
      ctx.progress.note(outcome.message);
      return outcome;
    },
    save: (status) => (released ? Promise.resolve() : ctx.state.write({ request, status })),
    ended: () => (released ? 'done' : undefined),
  };
  const { end } = await runSteps(driver, ctx.stored?.status ?? initialHostStatus(), ctx.signal);
  if (end !== 'done')
    return closing(request.name, end, { state: 'deprovisioning', details: '' }, ctx.progress);
  ctx.progress.line(
    `  server ${target.serverId}: deprovisioned (rescue disarmed); the server stays in the Robot account`,
  );
  return 0;
}
