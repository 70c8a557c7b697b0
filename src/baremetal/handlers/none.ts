import { stillProvisioning } from '../reasons.js';
import type { HostStepContext, HostStepResult } from '../step-context.js';

/**
 * `''` (none, CAPH's available host): nothing to do until a machine claims the host, i.e. its
 * request (installImage, bootstrap data, sshSpec) is there; then preparing starts at once.
 */
export function handleNone(ctx: HostStepContext): Promise<HostStepResult> {
  const { request } = ctx.input;
  if (request === undefined || ctx.input.deleting === true) {
    return Promise.resolve({
      kind: 'blocked',
      message: 'Available: waiting for a machine to claim the host',
    });
  }
  return Promise.resolve({
    kind: 'advance',
    to: 'preparing',
    after: ctx.settings.requeue.immediateMs,
    message: `Claimed; provisioning ${request.hostname}`,
    changes: { conditions: [stillProvisioning(ctx.input.name, 'preparing')] },
  });
}
