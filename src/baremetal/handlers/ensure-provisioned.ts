import { isRescueError, type RescueError } from '../../ports/rescue-errors.js';
import { ProvisioningError, messageOf } from '../../image-url/errors.js';
import { closeQuietly } from '../../image-url/rescue-attempt.js';
import { leaveRescue } from '../leave-rescue.js';
import { hostConditionFalse, hostConditionTrue, provisionReasons } from '../reasons.js';
import { requestOf } from '../request.js';
import type { HostStatusChanges, HostStepContext, HostStepResult } from '../step-context.js';

/**
 * ensure-provisioned: name the server after the machine in Robot and reboot out of the rescue
 * system (SSH, else a Robot reset), then wait until
 * the installed OS answers SSH with the OS key and the hostname the machine gave the command
 * (CAPH's check; `noSSHAfterInstallImage` skips it). Then provisioned. The first connection to
 * the installed OS pins its host key for this boot; a later connection of the boot that meets
 * another key fails the host before authenticating, so nothing runs there.
 */
export async function handleEnsureProvisioned(ctx: HostStepContext): Promise<HostStepResult> {
  const request = requestOf(ctx);
  if (ctx.status.rescueHostKey !== undefined) return leaveRescue(ctx, request.hostname);
  if (request.os.check === 'none') return provisioned(ctx);
  let answer: OsAnswer;
  try {
    answer = await osHostname(ctx, request.os);
  } catch (error) {
    if (isRescueError(error, 'SSH_HOST_KEY_MISMATCH')) return osHostKeyChanged(error);
    if (!isRescueError(error)) throw error;
    return waitForOs(ctx, `the installed operating system does not answer yet: ${error.message}`);
  }
  // The rescue system may still answer (a rescue key that is also the OS key): not the OS's key.
  const pin: HostStatusChanges =
    ctx.status.osHostKey === undefined && answer.hostname !== 'rescue' ? { osHostKey: answer.hostKey } : {};
  if (answer.hostname === request.hostname) return provisioned(ctx, pin);
  return waitForOs(
    ctx,
    `the server answers as ${JSON.stringify(answer.hostname)}, expected ${JSON.stringify(request.hostname)}`,
    pin,
  );
}

interface OsAnswer {
  readonly hostname: string;
  readonly hostKey: string;
}

async function osHostname(
  ctx: HostStepContext,
  os: { readonly privateKey: string; readonly port: number },
): Promise<OsAnswer> {
  const host = ctx.status.ipv4;
  if (host === undefined) {
    throw new ProvisioningError(
      'STATUS_INCOMPLETE',
      'spec.status.ipv4 is empty: no address to reach the server at',
    );
  }
  const token = ctx.input.registryToken;
  const pinned = ctx.status.osHostKey;
  const session = await ctx.rescue.connect({
    host,
    port: os.port,
    privateKey: os.privateKey,
    deadlineMs: ctx.settings.rescueConnectDeadlineMs,
    ...(pinned === undefined ? {} : { pinnedHostKey: pinned }),
    ...(token ? { secrets: [token] } : {}),
  });
  try {
    return { hostname: (await session.hostname()).trim(), hostKey: session.hostKeyFingerprint };
  } finally {
    await closeQuietly(session);
  }
}

function osHostKeyChanged(error: RescueError): HostStepResult {
  return {
    kind: 'failed',
    reason: provisionReasons.OSHostKeyChanged,
    message:
      `The installed operating system's host key differs from the one pinned at the first ` +
      `connection of this boot (a reboot nobody asked for, or someone in between); nothing was run: ${messageOf(error)}`,
  };
}

function waitForOs(ctx: HostStepContext, message: string, pin: HostStatusChanges = {}): HostStepResult {
  return {
    kind: 'continue',
    after: ctx.settings.requeue.osPollMs,
    message,
    changes: {
      ...pin,
      conditions: [hostConditionFalse(provisionReasons.StillProvisioning, message, 'Info')],
    },
  };
}

function provisioned(ctx: HostStepContext, pin: HostStatusChanges = {}): HostStepResult {
  const message = `host ${ctx.input.name} runs its installed operating system`;
  return {
    kind: 'advance',
    to: 'provisioned',
    message,
    changes: {
      ...pin,
      rebootTriggeredAt: null,
      lastReboot: null,
      imageUrlCommandStartedAt: null,
      conditions: [hostConditionTrue(provisionReasons.Provisioned)],
    },
    events: [{ type: 'Normal', reason: 'ServerProvisioned', message }],
  };
}
