import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileCommandResolver } from '../../image-url/index.js';
import { systemClock } from '../../ports/clock.js';
import {
  createProvisioner,
  initialStatus,
  type MachineInput,
  type MachineStatus,
  type Provisioner,
  type SettingsOverrides,
} from '../../provisioning/index.js';
import { createSshRescueSystem } from '../../rescue/index.js';
import type { Credential } from './credentials.js';
import { hcloudClients, refusedToken, type HcloudClients } from './hcloud-clients.js';
import { ensureProjectKey, PROVISION_LABEL } from './hcloud-login-key.js';
import { ProvisionError } from './provision-errors.js';
import type { ProvisionRequest } from './provision-request.js';
import { announce, closing, type RunContext } from './run-context.js';
import { readLoginKey } from './ssh-key.js';
import { runSteps, type StepDriver } from './step-loop.js';

const second = 1000;

/**
 * One server, watched by one process: looking again sooner than the controller (which spreads
 * its calls over many machines) costs a handful of API calls and saves minutes.
 */
const PROVISION_SETTINGS: SettingsOverrides = {
  requeue: {
    sshOtherMs: 2 * second,
    afterCommandStartMs: 2 * second,
    serverStartingMs: 2 * second,
    serverOffMs: 5 * second,
  },
};

type Target = Extract<ProvisionRequest['target'], { kind: 'hcloud' }>;

/** The server's name and labels: what the engine finds and recognises its server by. */
function baseInput(request: ProvisionRequest, target: Target): MachineInput {
  return {
    name: request.name,
    serverType: target.serverType,
    imageUrl: request.imageUrl,
    commandName: basename(request.commandFile),
    sshKeys: [],
    labels: { 'machine.caph-name': request.name, [PROVISION_LABEL]: request.name },
    rescueKey: { status: 'secret-ref-not-configured' },
    ...(target.location ? { location: target.location } : {}),
  };
}

async function bootstrapData(request: ProvisionRequest): Promise<string | undefined> {
  if (request.bootstrapDataFile === undefined) return undefined;
  return readFile(request.bootstrapDataFile, 'utf8').catch((error: unknown) => {
    throw new ProvisionError('FILE_UNUSABLE', `--bootstrap-data: ${(error as Error).message}`);
  });
}

function provisionerOf(ctx: RunContext<MachineStatus>, clients: HcloudClients): Provisioner {
  const ports = {
    cloud: clients.servers,
    rescue: createSshRescueSystem(),
    commands: fileCommandResolver(ctx.request.commandFile),
    clock: systemClock(),
    events: ctx.progress.events(),
  };
  return createProvisioner(ports, {
    settings: PROVISION_SETTINGS,
    onTransition: (move) => ctx.progress.transition(move),
  });
}

function targetOf(request: ProvisionRequest): Target {
  if (request.target.kind !== 'hcloud') throw new Error('not a Hetzner Cloud provision');
  return request.target;
}

/** The server id and its public addresses, for the closing line. */
function serverDetails(status: MachineStatus): string {
  const id = status.providerID?.replace('hcloud://', '');
  const addresses = (status.addresses ?? []).filter((a) => a.type === 'ExternalIP').map((a) => a.address);
  return [id === undefined ? '' : `server ${id}`, ...addresses].filter((part) => part !== '').join(', ');
}

/** `imageurl provision` on Hetzner Cloud: the HCloudMachine's engine with a state file. */
export async function provisionHcloud(
  ctx: RunContext<MachineStatus>,
  token: Credential<string>,
): Promise<number> {
  const { request } = ctx;
  const clients = hcloudClients(token.value, ctx.env);
  const login = await readLoginKey(request.sshKeyFile);
  const key = await ensureProjectKey(clients.keys, login, request.name).catch((error: unknown) => {
    throw refusedToken(error, token);
  });
  announce(ctx, `Hetzner Cloud server ${request.name}`);
  const uploadedSshKey = key.uploaded ?? ctx.stored?.uploadedSshKey;
  const saved = { request, ...(uploadedSshKey ? { uploadedSshKey } : {}) };
  const start = ctx.stored?.status ?? initialStatus();
  await ctx.state.write({ ...saved, status: start });
  const data = await bootstrapData(request);
  const input: MachineInput = {
    ...baseInput(request, targetOf(request)),
    sshKeys: [key.name],
    rescueKey: { status: 'available', privateKey: login.privateKey },
    ...(data === undefined ? {} : { bootstrapData: data }),
    ...(ctx.env['OCI_REGISTRY_AUTH_TOKEN'] ? { registryToken: ctx.env['OCI_REGISTRY_AUTH_TOKEN'] } : {}),
  };
  const provisioner = provisionerOf(ctx, clients);
  const driver: StepDriver<MachineStatus> = {
    step: async (status) => {
      const outcome = await provisioner.reconcile(input, status);
      ctx.progress.note(outcome.message);
      return outcome;
    },
    save: (status) => ctx.state.write({ ...saved, status }),
    ended: (status) =>
      status.bootState === 'OperatingSystemRunning'
        ? 'done'
        : status.bootState === 'ProvisioningFailed'
          ? 'failed'
          : undefined,
  };
  const { status, end } = await runSteps(driver, start, ctx.signal);
  return closing(
    request.name,
    end,
    { state: status.bootState, details: serverDetails(status) },
    ctx.progress,
  );
}

/** `imageurl provision delete` on Hetzner Cloud: the server (in any state), then the uploaded key. */
export async function deleteHcloud(
  ctx: RunContext<MachineStatus>,
  token: Credential<string>,
): Promise<number> {
  const { request } = ctx;
  const clients = hcloudClients(token.value, ctx.env);
  // The engine retries refused calls with a backoff; a wrong token must fail at once instead.
  await clients.keys.listSshKeys().catch((error: unknown) => {
    throw refusedToken(error, token);
  });
  const provisioner = provisionerOf(ctx, clients);
  const input = baseInput(request, targetOf(request));
  let done = false;
  const driver: StepDriver<MachineStatus> = {
    step: async (status) => {
      const outcome = await provisioner.delete(input, status);
      done = outcome.done;
      ctx.progress.note(outcome.message);
      return outcome;
    },
    save: (status) => (done ? Promise.resolve() : ctx.state.write({ ...ctx.stored, request, status })),
    ended: () => (done ? 'done' : undefined),
  };
  const { status, end } = await runSteps(driver, ctx.stored?.status ?? initialStatus(), ctx.signal);
  if (end !== 'done') return closing(request.name, end, { state: 'deletion', details: '' }, ctx.progress);
  const server = status.providerID?.replace('hcloud://', '');
  ctx.progress.line(`  server ${server === undefined ? request.name : server}: deleted or gone`);
  const uploaded = ctx.stored?.uploadedSshKey;
  if (uploaded !== undefined) {
    await clients.keys.deleteSshKey({ id: uploaded.id });
    ctx.progress.line(`  SSH key ${uploaded.name}: deleted`);
  }
  return 0;
}
