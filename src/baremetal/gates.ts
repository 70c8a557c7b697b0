import { isFatalErrorType } from './host.js';
import type { HostState } from './host-state.js';
import { hostConditionFalse, provisionReasons } from './reasons.js';
import type { HostStepContext, HostStepResult } from './step-context.js';

/** States in which the host belongs to no machine. */
const unclaimed: ReadonlySet<HostState> = new Set(['', 'deprovisioning']);

/**
 * A host naming a Robot server another host had first is held before anything else. Then
 * CAPH's host preamble, checked before the state's clock and timeout: a host whose machine
 * released it (request gone) or that is being deleted deprovisions from any state; a host with a
 * fatal error waits for its machine to be remediated (which releases it) and does nothing else,
 * so a failure is decided, and its events are emitted, once.
 */
export function hostGate(state: HostState, ctx: HostStepContext): HostStepResult | undefined {
  const rival = ctx.input.serverClaimedBy;
  if (rival !== undefined) {
    const message = `Robot server ${ctx.input.serverId} belongs to HetznerBareMetalHost ${rival}, created earlier: this host does nothing with it`;
    return {
      kind: 'blocked',
      message,
      changes: {
        conditions: [hostConditionFalse(provisionReasons.ServerClaimedByAnotherHost, message, 'Error')],
      },
    };
  }
  if (unclaimed.has(state)) return undefined;
  const why =
    ctx.input.deleting === true
      ? 'The host is being deleted'
      : ctx.input.request === undefined
        ? 'The machine released the host'
        : undefined;
  if (why !== undefined) {
    return { kind: 'advance', to: 'deprovisioning', after: ctx.settings.requeue.immediateMs, message: why };
  }
  if (isFatalErrorType(ctx.status.errorType)) {
    const message = `${ctx.status.errorType ?? ''}: waiting for the machine to be remediated`;
    return { kind: 'blocked', message };
  }
  return undefined;
}
