import type { CloudServer } from '../../ports/cloud-servers.js';
import { conditionFalse } from '../conditions.js';
import { hcloudReasons, type ConditionReason } from '../reasons.js';
import { leaveRescue } from '../rescue-reboot.js';
import {
  observedChanges,
  operatingSystemChanges,
  powerOnStoppedServer,
  requireServerId,
  serverNotFound,
} from '../server-observation.js';
import type { StepContext } from '../step-context.js';
import type { StepResult } from '../step-result.js';

/**
 * BootingToRealOS: reboot out of the rescue system (while its host key is still pinned), then
 * wait for the server to run. Because the reboot happens inside the OS, hcloud usually reports
 * `running` throughout, so this state is short (1–3 s as measured on Hetzner).
 */
export async function handleBootingToRealOS(ctx: StepContext): Promise<StepResult> {
  const serverId = requireServerId(ctx.status);
  if (ctx.status.rescueHostKey !== undefined) return leaveRescue(ctx);
  const server = await ctx.cloud.getServer({ serverId });
  if (server === undefined) return serverNotFound(serverId);
  switch (server.status) {
    case 'running':
      // Everything OperatingSystemRunning would set, at once: one GetServer for the whole flow.
      return {
        kind: 'advance',
        to: 'OperatingSystemRunning',
        after: ctx.settings.requeue.operatingSystemRecheckMs,
        message: 'The server runs its operating system',
        changes: operatingSystemChanges(server),
      };
    case 'off':
      return powerOnStoppedServer(ctx, server);
    case 'starting':
    case 'initializing':
      return waitForServer(ctx, server, hcloudReasons.ServerProvisioned.BootingToRealOS);
    default:
      return waitForServer(ctx, server, hcloudReasons.ServerProvisioned.ServerStatusUnknown);
  }
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
