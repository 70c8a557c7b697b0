import type { KindConditions } from './format.js';
import { HCloudRateLimitExceededCondition, HCloudTokenAvailableCondition, ReadyCondition } from './shared.js';

/**
 * The HCloudRemediation's condition types and reasons, CAPH's exact strings
 * (`api/v1beta1/conditions_const.go`). RemediationSkipped has negative polarity in v1beta2 (True
 * while remediation is skipped), as in CAPH.
 */
export const HCloudRemediationConditions = {
  Ready: ReadyCondition,
  HCloudTokenAvailable: HCloudTokenAvailableCondition,
  HCloudRateLimitExceeded: HCloudRateLimitExceededCondition,
  RemediationSkipped: {
    v1beta1: {
      type: 'RemediationSkipped',
      reasons: { IrrecoverableServerCreateFailure: 'IrrecoverableServerCreateFailure' },
    },
    v1beta2: {
      type: 'RemediationSkipped',
      reasons: { IrrecoverableServerCreateFailure: 'IrrecoverableServerCreateFailure' },
    },
  },
} as const satisfies KindConditions;

/**
 * The Cluster API Machine conditions a remediation reads and writes (Cluster API's
 * `api/core/v1beta2`): v1beta1 in `status.deprecated.v1beta1.conditions`, v1beta2 in
 * `status.conditions`. A MachineSet or KubeadmControlPlane deletes and replaces a Machine whose
 * HealthCheckSucceeded and OwnerRemediated are both False.
 */
export const MachineRemediationConditions = {
  OwnerRemediated: {
    v1beta1: {
      type: 'OwnerRemediated',
      reasons: {
        WaitingForRemediation: 'WaitingForRemediation',
        /** CAPH's: the machine was remediated too recently to reboot it again. */
        RemediationCooldownTriggered: 'RemediationCooldownTriggered',
      },
    },
    v1beta2: {
      type: 'OwnerRemediated',
      reasons: {
        WaitingForRemediation: 'WaitingForRemediation',
        RemediationCooldownTriggered: 'RemediationCooldownTriggered',
      },
    },
  },
  HealthCheckSucceeded: {
    v1beta1: { type: 'HealthCheckSucceeded', reasons: {} },
    v1beta2: { type: 'HealthCheckSucceeded', reasons: {} },
  },
  NodeHealthy: {
    v1beta1: { type: 'NodeHealthy', reasons: {} },
    v1beta2: { type: 'NodeHealthy', reasons: {} },
  },
} as const satisfies KindConditions;
