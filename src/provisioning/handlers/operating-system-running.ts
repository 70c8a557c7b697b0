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
 * OperatingSystemRunning: look at the server now and then; keep addresses and state current,
 * power it on when it is found off, fail (→ remediation) when it is gone.
 */
export async function handleOperatingSystemRunning(ctx: StepContext): Promise<StepResult> {
  const serverId = requireServerId(ctx.status);
  const server = await ctx.cloud.getServer({ serverId });
  if (server === undefined) return serverNotFound(serverId);
  if (server.status === 'off') return powerOnStoppedServer(ctx, server);
  const after = ctx.settings.requeue.operatingSystemRecheckMs;
  if (server.status === 'running')
    return { kind: 'continue', after, changes: operatingSystemChanges(server) };
  return { kind: 'continue', after: ctx.settings.requeue.serverStartingMs, changes: observedChanges(server) };
}
