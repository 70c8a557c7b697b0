import type { HostStepResult } from '../step-context.js';

/**
 * provisioned: the machine uses the host; nothing to do until it releases the host (the
 * release gate then moves it to deprovisioning).
 */
export function handleProvisioned(): Promise<HostStepResult> {
  return Promise.resolve({ kind: 'blocked', message: 'Provisioned' });
}
