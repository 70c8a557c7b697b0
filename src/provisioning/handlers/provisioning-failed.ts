import type { StepResult } from '../step-result.js';

/**
 * ProvisioningFailed: terminal. Nothing is retried here; Cluster API replaces the Machine once
 * it carries the remediation annotation (which the caller keeps in place while in this state).
 */
export function handleProvisioningFailed(): Promise<StepResult> {
  return Promise.resolve({ kind: 'blocked', message: 'Provisioning failed; waiting for remediation' });
}
