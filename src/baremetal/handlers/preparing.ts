import { isRobotError } from '../../ports/robot-errors.js';
import type { RobotServer } from '../../ports/robot-servers.js';
import { hostConditionFalse, provisionReasons, stillProvisioning } from '../reasons.js';
import { armRescue, ensureRescueKey, hostIpv6, hostKeysNote, resetTypeFor } from '../robot-steps.js';
import type { HostStepContext, HostStepResult } from '../step-context.js';

/**
 * preparing: read the server's addresses, make sure Robot stores the rescue key, arm the
 * rescue system with that key's fingerprint and reset the server into it (power when it is off,
 * else sw, else hw). The host keys Robot's activation answer gives, if any, are kept for
 * registering's first connection; every pin of an earlier boot is forgotten. Only Robot calls: a restart that repeats them arms and resets again, which
 * lands in the same rescue system. No timeout: nothing here gets better by replacing the machine.
 */
export async function handlePreparing(ctx: HostStepContext): Promise<HostStepResult> {
  const key = ctx.input.rescueKey;
  if (key.status !== 'available') {
    return {
      kind: 'continue',
      after: ctx.settings.requeue.secretMissingMs,
      message: key.message,
      changes: {
        conditions: [hostConditionFalse(provisionReasons.RescueKeyUnavailable, key.message, 'Error')],
      },
    };
  }
  const serverNumber = ctx.input.serverId;
  const server = await robotServer(ctx);
  if ('kind' in server) return server;
  if (server.ipv4 === undefined) {
    const message = `Robot server ${serverNumber} has no IPv4 address; the rescue system is reached over IPv4`;
    return { kind: 'failed', reason: provisionReasons.ServerHasNoIPv4, message };
  }
  const rescueKey = await ensureRescueKey(ctx.robot, key);
  const options = await ctx.robot.getResetOptions({ serverNumber });
  const activation = await armRescue(ctx.robot, serverNumber, rescueKey.fingerprint);
  const type = resetTypeFor(options);
  await ctx.robot.reset({ serverNumber, type });
  const ipv6 = hostIpv6(server.ipv6Network);
  const message = `Reset server ${serverNumber} (${type}) into the rescue system`;
  return {
    kind: 'advance',
    to: 'registering',
    after: ctx.settings.requeue.rebootWaitMs,
    message: `${message}; ${hostKeysNote(activation)}`,
    changes: {
      ipv4: server.ipv4,
      ipv6: ipv6 ?? null,
      rebootTypes: options.types,
      rescueKey,
      rebootTriggeredAt: ctx.now,
      lastReboot: type,
      // A new provisioning: its rescue boots get their own resets.
      rescueResets: null,
      rescueResetAt: null,
      rescueHostKey: null,
      rescueHostKeysFromRobot: activation.hostKeyFingerprints ?? null,
      osHostKey: null,
      imageUrlCommandStartedAt: null,
      conditions: [stillProvisioning(ctx.input.name, 'registering')],
    },
    events: [{ type: 'Normal', reason: 'RebootBMServerViaRobot', message }],
  };
}

/** The server as Robot knows it; an unknown server number is a permanent error (CAPH). */
async function robotServer(ctx: HostStepContext): Promise<RobotServer | HostStepResult> {
  try {
    return await ctx.robot.getServer({ serverNumber: ctx.input.serverId });
  } catch (error) {
    if (!isRobotError(error, 'ROBOT_NOT_FOUND')) throw error;
    return {
      kind: 'failed',
      reason: provisionReasons.ServerNotFound,
      message: `Robot has no server ${ctx.input.serverId} (spec.serverID): ${error.message}`,
    };
  }
}
