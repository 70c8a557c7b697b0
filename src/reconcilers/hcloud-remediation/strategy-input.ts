import {
  DEFAULT_REMEDIATION_COOLDOWN,
  type RemediationStrategy,
} from '../../../api/v1beta1/remediation-strategy.js';
import { parseGoDuration } from '../../util/go-duration.js';
import type { StrategyInput } from './decide.js';

/**
 * The strategy in numbers. The webhook admits only durations that parse; an object written
 * before it (or with it bypassed) falls back as CAPH does: a cooldown that is missing, bad or
 * negative is the default, and a bad timeout is no strategy at all (nothing is rebooted).
 */
export function strategyOf(strategy: Partial<RemediationStrategy> | undefined): StrategyInput | undefined {
  if (strategy === undefined) return undefined;
  const timeoutMs = parseGoDuration(strategy.timeout ?? '');
  if (timeoutMs === undefined || timeoutMs <= 0) return undefined;
  return {
    type: strategy.type ?? 'Reboot',
    retryLimit: strategy.retryLimit ?? 0,
    timeoutMs,
    cooldownMs: cooldownMsOf(strategy.cooldown),
  };
}

function cooldownMsOf(cooldown: string | undefined): number {
  const ms = parseGoDuration(cooldown ?? DEFAULT_REMEDIATION_COOLDOWN);
  if (ms !== undefined && ms >= 0) return ms;
  return parseGoDuration(DEFAULT_REMEDIATION_COOLDOWN) ?? 0;
}
