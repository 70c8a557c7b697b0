import { RemediationPhase, RemediationType } from '../../../api/v1beta1/remediation-strategy.js';

/**
 * CAPH's reboot remediation as one pure decision per reconcile: reboot while retries are left,
 * `timeout` apart; after the last one wait `timeout` more; then the machine is either healthy
 * (remediation succeeded, the Machine stays) or handed to Cluster API to be replaced.
 */

export interface StrategyInput {
  readonly type: string;
  readonly retryLimit: number;
  readonly timeoutMs: number;
  readonly cooldownMs: number;
}

export interface RemediationInput {
  /** Undefined when the remediation has no strategy (CAPH: warn and do nothing). */
  readonly strategy: StrategyInput | undefined;
  readonly phase: string;
  readonly retryCount: number;
  /** When the server was last rebooted by this remediation (ms since the epoch). */
  readonly lastRemediatedMs: number | undefined;
  /** The HCloudMachine's bootState. */
  readonly bootState: string;
  /** Why there is no server to reboot, when there is none. */
  readonly noServer: string | undefined;
  /** The Machine's NodeHealthy condition is True. */
  readonly nodeHealthy: boolean;
  /** When the machine's last remediation succeeded (HCloudMachine status.lastRemediatedAt). */
  readonly machineLastRemediatedMs: number | undefined;
  readonly nowMs: number;
}

export type HandOverReason = 'WaitingForRemediation' | 'RemediationCooldownTriggered';

export type Decision =
  /** Tell Cluster API to replace the Machine; the remediation ends in "Deleting machine". */
  | { readonly kind: 'hand-over'; readonly reason: HandOverReason; readonly message: string }
  /** Reboot now; record the reboot and continue in `phase`, back after `requeueAfterMs`. */
  | { readonly kind: 'reboot'; readonly phase: string; readonly requeueAfterMs: number }
  | { readonly kind: 'wait'; readonly phase: string; readonly requeueAfterMs: number }
  /** The node is healthy again after the reboots: keep the Machine. */
  | { readonly kind: 'succeeded'; readonly message: string }
  /** Nothing to do now or ever (finished, or a strategy that cannot be acted on). */
  | { readonly kind: 'none'; readonly problem?: string };

const OS_RUNNING = 'OperatingSystemRunning';

export function decide(input: RemediationInput): Decision {
  if (input.bootState !== OS_RUNNING)
    return handOver(
      `exit remediation because infra machine is in BootState ${input.bootState || '(unset)'} (no need to try a reboot)`,
    );
  if (input.noServer !== undefined) return handOver(input.noServer);
  const { strategy } = input;
  if (strategy === undefined) return { kind: 'none', problem: 'remediation strategy is nil' };
  if (strategy.type !== RemediationType.Reboot)
    return { kind: 'none', problem: `remediation strategy "${strategy.type}" is unsupported` };
  if (input.phase === '') {
    const cooldown = cooldownMessage(input, strategy);
    if (cooldown !== undefined) return handOver(cooldown, 'RemediationCooldownTriggered');
    return running(input, strategy);
  }
  if (input.phase === RemediationPhase.Running) return running(input, strategy);
  if (input.phase === RemediationPhase.Waiting) return waiting(input, strategy);
  return { kind: 'none' };
}

function running(input: RemediationInput, strategy: StrategyInput): Decision {
  const retriesLeft = strategy.retryLimit > input.retryCount;
  if (!retriesLeft && input.lastRemediatedMs === undefined)
    return handOver('exit remediation because retryLimit is 0 (no reboot performed)');
  if (!retriesLeft) return waiting(input, strategy);
  if (input.lastRemediatedMs !== undefined) {
    const dueMs = input.lastRemediatedMs + strategy.timeoutMs;
    if (input.nowMs < dueMs)
      return { kind: 'wait', phase: RemediationPhase.Running, requeueAfterMs: dueMs - input.nowMs };
  }
  const phase =
    strategy.retryLimit > input.retryCount + 1 ? RemediationPhase.Running : RemediationPhase.Waiting;
  return { kind: 'reboot', phase, requeueAfterMs: strategy.timeoutMs };
}

function waiting(input: RemediationInput, strategy: StrategyInput): Decision {
  const dueMs = (input.lastRemediatedMs ?? input.nowMs) + strategy.timeoutMs;
  if (input.nowMs < dueMs)
    return { kind: 'wait', phase: RemediationPhase.Waiting, requeueAfterMs: dueMs - input.nowMs };
  if (input.nodeHealthy)
    return { kind: 'succeeded', message: 'reboot remediation succeeded: Node is healthy again' };
  return handOver('exit remediation because retryLimit is reached and reboot timed out');
}

function cooldownMessage(input: RemediationInput, strategy: StrategyInput): string | undefined {
  if (strategy.cooldownMs <= 0 || input.machineLastRemediatedMs === undefined) return undefined;
  const sinceMs = input.nowMs - input.machineLastRemediatedMs;
  if (sinceMs >= strategy.cooldownMs) return undefined;
  return (
    `skipping reboot: last remediation completed ${seconds(sinceMs)} ago ` +
    `(cooldown window: ${seconds(strategy.cooldownMs)})`
  );
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)}s`;
}

function handOver(message: string, reason: HandOverReason = 'WaitingForRemediation'): Decision {
  return { kind: 'hand-over', reason, message };
}
