import type { RobotResetOptions, RobotResetRequest } from '../ports/robot-servers.js';
import type { FailedResultOf } from '../state-machine/index.js';
import { hostConditionFalse, provisionReasons } from './reasons.js';
import { armRescue } from './robot-steps.js';
import type { HostMachineTypes, HostStepContext, HostStepResult } from './step-context.js';

/** The event of each reset; the final failure has its own. */
export const RESCUE_BOOT_RESET_EVENT = 'RescueBootReset';

interface Expiry {
  readonly failure: FailedResultOf<HostMachineTypes>;
  readonly limitMs: number;
}

/**
 * registering's budget ran out without the rescue system answering: rescue is armed again (a
 * boot that never answered may have used the activation up) and the server is reset, first by
 * software, then by hardware, at most `rescueBootResets` times per provisioning (preparing
 * starts the count over); each reset restarts the budget. Then the timeout fails the host.
 */
export async function retryHostRescueBoot(ctx: HostStepContext, expiry: Expiry): Promise<HostStepResult> {
  const done = ctx.status.rescueResets ?? 0;
  const allowed = ctx.settings.rescueBootResets;
  const seconds = Math.round(expiry.limitMs / 1000);
  const rescueKey = ctx.status.sshStatus?.rescueKey;
  if (done >= allowed || rescueKey === undefined) return exhausted(expiry, { done, seconds });
  const serverNumber = ctx.input.serverId;
  const options = await ctx.robot.getResetOptions({ serverNumber });
  const activation = await armRescue(ctx.robot, serverNumber, rescueKey.fingerprint);
  const type = retryResetType(options, done + 1);
  await ctx.robot.reset({ serverNumber, type });
  const message = `rescue system did not answer within ${seconds} s; reset ${done + 1} of ${allowed} (${type})`;
  return {
    kind: 'continue',
    after: ctx.settings.requeue.rebootWaitMs,
    message,
    changes: {
      rescueResets: done + 1,
      rescueResetAt: ctx.now,
      rebootTriggeredAt: ctx.now,
      lastReboot: type,
      rescueHostKey: null,
      rescueHostKeysFromRobot: activation.hostKeyFingerprints ?? null,
      conditions: [hostConditionFalse(provisionReasons.RebootTimedOut, message, 'Warning')],
    },
    events: [{ type: 'Warning', reason: RESCUE_BOOT_RESET_EVENT, message }],
  };
}

/** Power on a server that is off; else the first retry by software, later ones by hardware. */
export function retryResetType(options: RobotResetOptions, attempt: number): RobotResetRequest {
  const offered = new Set(options.types);
  if (options.operatingStatus === 'shut off' && offered.has('power')) return 'power';
  const wanted = attempt === 1 ? 'sw' : 'hw';
  if (offered.has(wanted)) return wanted;
  return offered.has('hw') ? 'hw' : 'sw';
}

/** No try left: the timeout's failure, saying that the resets did not help either. */
function exhausted(
  expiry: Expiry,
  tries: { readonly done: number; readonly seconds: number },
): HostStepResult {
  if (tries.done === 0) return expiry.failure;
  const resets = tries.done === 1 ? '1 reset' : `${tries.done} resets`;
  const message = `${expiry.failure.message}: the rescue system did not answer within ${tries.seconds} s after ${resets} either`;
  return { ...expiry.failure, message };
}
