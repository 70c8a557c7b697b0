import type { FailedResultOf } from '../state-machine/index.js';
import { planFirstLook, unlessLocked } from './action-check.js';
import { conditionFalse } from './conditions.js';
import { ACTION_DONE } from './machine.js';
import { hcloudReasons } from './reasons.js';
import { requireServerId } from './server-observation.js';
import type { BootMachineTypes, StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';

/** The event of each reset; the final failure has its own (the remediation notice). */
export const RESCUE_BOOT_RESET_EVENT = 'RescueBootReset';

interface Expiry {
  readonly failure: FailedResultOf<BootMachineTypes>;
  readonly limitMs: number;
}

/**
 * BootingToRescue's budget ran out: a server that never came up in the rescue system is
 * power-cycled, at most `rescueBootResets` times per machine (the count is kept in status, so
 * a restart does not hand out new tries); then the timeout fails the machine. A boot that never
 * answered may still have used up the rescue activation, so it is armed again when the server
 * says it is not; EnablingRescue then resets the running server and comes back here with a
 * fresh budget.
 */
export async function retryRescueBoot(ctx: StepContext, expiry: Expiry): Promise<StepResult> {
  const done = ctx.status.rescueResets ?? 0;
  const allowed = ctx.settings.rescueBootResets;
  const seconds = Math.round(expiry.limitMs / 1000);
  if (done >= allowed) return exhausted(expiry, { done, seconds });
  const serverId = requireServerId(ctx.status);
  const server = await ctx.cloud.getServer({ serverId });
  if (server === undefined) return expiry.failure;
  let actionId = ACTION_DONE;
  const message = `rescue system did not answer within ${seconds} s; reset ${done + 1} of ${allowed}`;
  const locked = await unlessLocked(
    ctx,
    async () => {
      if (server.rescueEnabled) return;
      actionId = (await ctx.cloud.enableRescue({ serverId, sshKeys: ctx.input.sshKeys })).actionId;
    },
    {
      reason: hcloudReasons.ServerProvisioned.EnablingRescueSystemFailed,
      message: `${message}: server locked. Will retry`,
      externalIDs: {},
    },
  );
  if (locked) return locked;
  return {
    kind: 'advance',
    to: 'EnablingRescue',
    after: actionId === ACTION_DONE ? 1 : planFirstLook(ctx, actionId, 'enable_rescue'),
    message,
    changes: {
      rescueResets: done + 1,
      // EnablingRescue resets a server it knows to be on (a power-on would not boot it again).
      instanceState: server.status,
      externalIDs: { actionIdEnableRescueSystem: actionId },
      conditions: [
        conditionFalse(hcloudReasons.ServerProvisioned.BootingToRescueTimedOut, message, 'Warning'),
      ],
    },
    events: [{ type: 'Warning', reason: RESCUE_BOOT_RESET_EVENT, message }],
  };
}

/** No try left: the timeout's failure, saying that the resets did not help either. */
function exhausted(expiry: Expiry, tries: { readonly done: number; readonly seconds: number }): StepResult {
  if (tries.done === 0) return expiry.failure;
  const resets = tries.done === 1 ? '1 reset' : `${tries.done} resets`;
  const message = `${expiry.failure.message}: the rescue system did not answer within ${tries.seconds} s after ${resets} either`;
  return { ...expiry.failure, message };
}
