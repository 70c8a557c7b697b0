import { awaitTrackedAction, callAfterAction, type ActionWords } from '../action-check.js';
import { conditionFalse } from '../conditions.js';
import { ACTION_DONE, type ExternalIDs } from '../machine.js';
import { hcloudReasons } from '../reasons.js';
import { planRescueBoot } from '../rescue-boot-wait.js';
import { requireServerId } from '../server-observation.js';
import type { StepContext } from '../step-context.js';
import type { StepResult } from '../step-result.js';

const rescueAction: ActionWords = {
  kind: 'enable_rescue',
  missing: hcloudReasons.ServerProvisioned.ActionIDForEnablingRescueSystemNotSet,
  missingMessage:
    'ActionIDEnableRescueSystem is missing in the status.externalIDs, cannot check whether the ' +
    'rescue system is enabled. Machine will be remediated',
  running: hcloudReasons.ServerProvisioned.WaitingForEnablingRescueAction,
  runningMessage: 'Waiting until Action RescueEnabled is finished',
  failed: hcloudReasons.ServerProvisioned.EnablingRescueActionFailed,
  failedContext: 'wait for enabling rescue',
  lookupFailed: hcloudReasons.ServerProvisioned.EnablingRescueGetActionFailed,
};

/** Server states in which a power-on does nothing, so the rescue boot needs a reset instead. */
const alreadyOn = new Set(['running', 'starting']);

/**
 * EnablingRescue: wait for the enable-rescue action, then boot the server (into rescue, which is
 * armed for exactly the next boot). Unlike CAPH, the boot follows in the same call once the
 * action is done instead of one reconcile later.
 */
export async function handleEnablingRescue(ctx: StepContext): Promise<StepResult> {
  const serverId = requireServerId(ctx.status);
  const rescueActionId = ctx.status.externalIDs?.actionIdEnableRescueSystem ?? 0;
  const waited = await awaitTrackedAction(ctx, rescueActionId, rescueAction);
  if (typeof waited !== 'string') return waited;
  const rescueDone: ExternalIDs = { actionIdEnableRescueSystem: ACTION_DONE };
  // A server seen running (an adopted one) must be reset: powering it on would not boot it again.
  const reset = alreadyOn.has(ctx.status.instanceState ?? '');
  const locked = await callAfterAction(
    ctx,
    { end: waited, actionId: rescueActionId, words: rescueAction },
    () => (reset ? ctx.cloud.reset({ serverId }) : ctx.cloud.powerOn({ serverId })),
    {
      reason: hcloudReasons.ServerProvisioned.PoweringOnServerFailed,
      message: 'PowerOnServer: server locked. Will retry',
      externalIDs: rescueDone,
    },
  );
  if (locked) return locked;
  const reason = hcloudReasons.ServerProvisioned.BootingToRescue;
  return {
    kind: 'advance',
    to: 'BootingToRescue',
    after: planRescueBoot(ctx, serverId),
    message: reset ? 'Resetting into the rescue system' : 'Powering on into the rescue system',
    changes: {
      externalIDs: rescueDone,
      conditions: [conditionFalse(reason, 'power on to rescue started', 'Info')],
    },
  };
}
