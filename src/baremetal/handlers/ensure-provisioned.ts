import { isRescueError } from '../../ports/rescue-errors.js';
import { ProvisioningError } from '../../image-url/errors.js';
import { closeQuietly } from '../../image-url/rescue-attempt.js';
import { leaveRescue } from '../leave-rescue.js';
import { hostConditionFalse, hostConditionTrue, provisionReasons } from '../reasons.js';
import { requestOf } from '../request.js';
import type { HostStepContext, HostStepResult } from '../step-context.js';

/**
 * ensure-provisioned: name the server after the machine in Robot and reboot out of the rescue
 * system (SSH, else a Robot reset), then wait until
 * the installed OS answers SSH with the OS key and the hostname the machine gave the command
 * (CAPH's check; `noSSHAfterInstallImage` skips it). Then provisioned.
 */
export async function handleEnsureProvisioned(ctx: HostStepContext): Promise<HostStepResult> {
  const request = requestOf(ctx);
  if (ctx.status.rescueHostKey !== undefined) return leaveRescue(ctx, request.hostname);
  if (request.os.check === 'none') return provisioned(ctx);
  let hostname: string;
  try {
    hostname = await osHostname(ctx, request.os);
  } catch (error) {
    if (!isRescueError(error)) throw error;
    return waitForOs(ctx, `the installed operating system does not answer yet: ${error.message}`);
  }
  if (hostname === request.hostname) return provisioned(ctx);
  return waitForOs(
    ctx,
    `the server answers as ${JSON.stringify(hostname)}, expected ${JSON.stringify(request.hostname)}`,
  );
}

async function osHostname(
  ctx: HostStepContext,
  os: { readonly privateKey: string; readonly port: number },
): Promise<string> {
  const host = ctx.status.ipv4;
  if (host === undefined) {
    throw new ProvisioningError(
      'STATUS_INCOMPLETE',
      'spec.status.ipv4 is empty: no address to reach the server at',
    );
  }
  const token = ctx.input.registryToken;
  const session = await ctx.rescue.connect({
    host,
    port: os.port,
    privateKey: os.privateKey,
    deadlineMs: ctx.settings.rescueConnectDeadlineMs,
    ...(token ? { secrets: [token] } : {}),
  });
  try {
    return (await session.hostname()).trim();
  } finally {
    await closeQuietly(session);
  }
}

function waitForOs(ctx: HostStepContext, message: string): HostStepResult {
  return {
    kind: 'continue',
    after: ctx.settings.requeue.osPollMs,
    message,
    changes: { conditions: [hostConditionFalse(provisionReasons.StillProvisioning, message, 'Info')] },
  };
}

function provisioned(ctx: HostStepContext): HostStepResult {
  const message = `host ${ctx.input.name} runs its installed operating system`;
  return {
    kind: 'advance',
    to: 'provisioned',
    message,
    changes: {
      rebootTriggeredAt: null,
      lastReboot: null,
      imageUrlCommandStartedAt: null,
      conditions: [hostConditionTrue(provisionReasons.Provisioned)],
    },
    events: [{ type: 'Normal', reason: 'ServerProvisioned', message }],
  };
}
