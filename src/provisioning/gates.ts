import { conditionFalse, conditionTrue, type ConditionChange } from './conditions.js';
import type { MachineInput, MachineStatus } from './machine.js';
import { hcloudReasons } from './reasons.js';
import type { ProvisioningSettings } from './settings.js';
import type { StateSpec } from './states.js';
import type { StepResult } from './step-result.js';

/** A gate either holds the machine back (`wait`) or lets it pass, maybe with condition updates. */
export type Gate = { readonly wait: StepResult } | { readonly pass: readonly ConditionChange[] };

/**
 * CAPH's preamble: no server before Cluster API made the bootstrap data. The state's clock does
 * not start while waiting, so a machine whose bootstrap lags does not time out.
 */
export function bootstrapGate(spec: StateSpec, input: MachineInput, settings: ProvisioningSettings): Gate {
  if (spec.waitsForBootstrapData !== true) return { pass: [] };
  if (input.bootstrapData !== undefined) {
    return { pass: [conditionTrue(hcloudReasons.BootstrapReady.Ready)] };
  }
  const message = 'bootstrap not ready yet';
  return {
    wait: {
      kind: 'continue',
      after: settings.requeue.bootstrapNotReadyMs,
      message,
      changes: {
        conditions: [
          conditionFalse(hcloudReasons.BootstrapReady.BootstrapNotReady, message, 'Info'),
          conditionFalse(hcloudReasons.ServerCreated.WaitingForBootstrapData, message, 'Info'),
        ],
      },
    },
  };
}

/**
 * CAPH's rate-limit back-off: after `rate_limit_exceeded`, no API call for `rateLimitWaitMs`,
 * looking again every `rateLimitCheckMs`; then the condition is cleared.
 */
export function rateLimitGate(status: MachineStatus, now: Date, settings: ProvisioningSettings): Gate {
  const limited = status.conditions?.HCloudRateLimitExceeded;
  if (limited?.status !== 'True') return { pass: [] };
  const waitedMs = now.getTime() - limited.lastTransitionTime.getTime();
  const leftMs = settings.rateLimitWaitMs - waitedMs;
  if (leftMs > 0) {
    const after = Math.min(settings.requeue.rateLimitCheckMs, leftMs);
    return { wait: { kind: 'continue', after, message: 'Waiting out the hcloud rate limit' } };
  }
  const cleared: ConditionChange = {
    ...hcloudReasons.HCloudRateLimitExceeded.NotExceeded,
    status: 'False',
    message: '',
  };
  return { pass: [cleared] };
}

/** The conditions the gates passed on, added to a result; the handler's own say about one wins. */
export function withConditions(result: StepResult, extra: readonly ConditionChange[]): StepResult {
  if (extra.length === 0) return result;
  const own = result.changes?.conditions ?? [];
  const ownTypes = new Set(own.map((change) => change.type));
  const conditions = [...extra.filter((change) => !ownTypes.has(change.type)), ...own];
  return { ...result, changes: { ...result.changes, conditions } };
}
