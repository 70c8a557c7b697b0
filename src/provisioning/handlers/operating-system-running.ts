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
 * BootingToRealOS looked at the server in the call that entered this state; a reconcile this
 * soon after (the watch event of our own status write) would only ask the same again.
 */
const JUST_OBSERVED_MS = 30_000;

/**
 * OperatingSystemRunning: look at the server now and then; keep addresses and state current,
 * power it on when it is found off, fail (→ remediation) when it is gone.
 */
export async function handleOperatingSystemRunning(ctx: StepContext): Promise<StepResult> {
  const serverId = requireServerId(ctx.status);
  const recheck = ctx.settings.requeue.operatingSystemRecheckMs;
  const inState = ctx.now.getTime() - (ctx.status.bootStateSince ?? ctx.now).getTime();
  if (ctx.status.ready === true && inState >= 0 && inState < Math.min(JUST_OBSERVED_MS, recheck)) {
    return { kind: 'continue', after: Math.max(recheck - inState, 0) };
  }
  const server = await ctx.cloud.getServer({ serverId });
  if (server === undefined) return serverNotFound(serverId);
  if (server.status === 'off') return powerOnStoppedServer(ctx, server);
  if (server.status === 'running')
    return { kind: 'continue', after: recheck, changes: operatingSystemChanges(observedChanges(server)) };
  return { kind: 'continue', after: ctx.settings.requeue.serverStartingMs, changes: observedChanges(server) };
}
