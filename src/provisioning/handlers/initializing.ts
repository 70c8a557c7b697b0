import { awaitTrackedAction, callAfterAction, planFirstLook, type ActionWords } from '../action-check.js';
import { conditionFalse } from '../conditions.js';
import { ACTION_DONE, type ExternalIDs } from '../machine.js';
import { hcloudReasons } from '../reasons.js';
import { requireServerId } from '../server-observation.js';
import type { StepContext } from '../step-context.js';
import type { StepResult } from '../step-result.js';

const createAction: ActionWords = {
  kind: 'create_server',
  missing: hcloudReasons.ServerProvisioned.ActionIDCreateServerNotSet,
  missingMessage:
    'ActionIDCreateServer is missing in the status.externalIDs, cannot check whether the server ' +
    'is provisioned. Machine will be remediated',
  running: hcloudReasons.ServerProvisioned.CreatingServer,
  runningMessage: 'Waiting until the server is created',
  failed: hcloudReasons.ServerProvisioned.CreationFailed,
  failedContext: 'wait for server create',
  lookupFailed: hcloudReasons.ServerProvisioned.GettingServerCreationStatusFailed,
};

/**
 * Initializing: wait for the create action, then arm the rescue system. Once the action is known
 * to be done (-1) it is never looked up again, so an adopted server goes straight to EnableRescue.
 */
export async function handleInitializing(ctx: StepContext): Promise<StepResult> {
  const serverId = requireServerId(ctx.status);
  const createActionId = ctx.status.externalIDs?.actionIdCreateServer ?? 0;
  const waited = await awaitTrackedAction(ctx, createActionId, createAction);
  if (typeof waited !== 'string') return waited;
  const createDone: ExternalIDs = { actionIdCreateServer: ACTION_DONE };
  let rescueActionId = 0;
  const locked = await callAfterAction(
    ctx,
    { end: waited, actionId: createActionId, words: createAction },
    async () => {
      rescueActionId = (await ctx.cloud.enableRescue({ serverId, sshKeys: ctx.input.sshKeys })).actionId;
    },
    {
      reason: hcloudReasons.ServerProvisioned.EnablingRescueSystemFailed,
      message: 'EnableRescueSystem: server locked. Will retry',
      externalIDs: createDone,
    },
  );
  if (locked) return locked;
  const reason = hcloudReasons.ServerProvisioned.WaitingForRescueSystem;
  return {
    kind: 'advance',
    to: 'EnablingRescue',
    after: planFirstLook(ctx, rescueActionId, 'enable_rescue'),
    message: 'Enabling the rescue system',
    changes: {
      externalIDs: { ...createDone, actionIdEnableRescueSystem: rescueActionId },
      conditions: [conditionFalse(reason, 'waiting for rescue system to be enabled', 'Info')],
    },
  };
}
