import type { CloudServer } from '../../ports/cloud-servers.js';
import { conditionFalse, conditionTrue } from '../conditions.js';
import { hcloudReasons, type ConditionReason } from '../reasons.js';
import { installedOSNotUpYet } from '../installed-os-wait.js';
import { leaveRescue } from '../rescue-reboot.js';
import {
  observedChanges,
  operatingSystemChanges,
  powerOnStoppedServer,
  requireServerId,
  serverNotFound,
} from '../server-observation.js';
import type { StepContext } from '../step-context.js';
import type { StatusChanges, StepResult } from '../step-result.js';

/**
 * BootingToRealOS: reboot out of the rescue system (while its host key is still pinned), then
 * wait until the installed OS is observed up: its SSH server answers with a host key that is not
 * the rescue boot's (hcloud reports `running` throughout the reboot, so its status alone says
 * nothing). The rescue key again, or silence past the budget, fails the machine; a port that
 * keeps refusing falls back to the hcloud status (docs/hcloud-machine.md).
 */
export async function handleBootingToRealOS(ctx: StepContext): Promise<StepResult> {
  const serverId = requireServerId(ctx.status);
  if (ctx.status.rescueHostKey !== undefined) return leaveRescue(ctx);
  const rescueKey = ctx.status.leftRescueHostKey;
  const installed = rescueKey === undefined ? {} : installedOSNotUpYet(ctx, { serverId, rescueKey });
  if (installed.result !== undefined) return installed.result;
  // Its own host key answering proves the server runs: no GetServer (issue #16's request budget).
  if (installed.up) return operatingSystemRunning(ctx, { instanceState: 'running' });
  const server = await ctx.cloud.getServer({ serverId });
  if (server === undefined) return serverNotFound(serverId);
  switch (server.status) {
    case 'running':
      return operatingSystemRunning(ctx, observedChanges(server), installed.fallback);
    case 'off':
      return powerOnStoppedServer(ctx, server);
    case 'starting':
    case 'initializing':
      return waitForServer(ctx, server, hcloudReasons.ServerProvisioned.BootingToRealOS);
    default:
      return waitForServer(ctx, server, hcloudReasons.ServerProvisioned.ServerStatusUnknown);
  }
}

/** Everything OperatingSystemRunning would set, at once, from what was observed of the server. */
function operatingSystemRunning(ctx: StepContext, observed: StatusChanges, fallback?: string): StepResult {
  const changes = { ...operatingSystemChanges(observed), leftRescueHostKey: null };
  if (fallback === undefined) {
    return {
      kind: 'advance',
      to: 'OperatingSystemRunning',
      after: ctx.settings.requeue.operatingSystemRecheckMs,
      message: 'The server runs its operating system',
      changes,
    };
  }
  // Provisioned all the same (a True condition carries no severity): its message and a Warning
  // event say that the installed OS was not observed up.
  const provisioned = conditionTrue(hcloudReasons.ServerProvisioned.Provisioned, fallback);
  return {
    kind: 'advance',
    to: 'OperatingSystemRunning',
    after: ctx.settings.requeue.operatingSystemRecheckMs,
    message: fallback,
    changes: { ...changes, conditions: [...(changes.conditions ?? []), provisioned] },
    events: [{ type: 'Warning', reason: 'InstalledOSWithoutSSH', message: fallback }],
  };
}

function waitForServer(ctx: StepContext, server: CloudServer, reason: ConditionReason): StepResult {
  const message = `hcloud server status: ${server.status}`;
  const condition = conditionFalse(reason, message, 'Info');
  return {
    kind: 'continue',
    after: ctx.settings.requeue.serverStartingMs,
    changes: { ...observedChanges(server), conditions: [condition] },
  };
}
