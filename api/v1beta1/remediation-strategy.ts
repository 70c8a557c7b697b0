import { z } from 'zod';
import { integer } from './fields.js';

/** The remediation strategies; CAPH knows only Reboot. */
export const RemediationType = { Reboot: 'Reboot' } as const;

/** `status.phase` of a remediation, CAPH's exact strings. */
export const RemediationPhase = {
  /** Rebooting, retries left. */
  Running: 'Running',
  /** The last reboot is done; waiting `timeout` for the node to become healthy. */
  Waiting: 'Waiting',
  /** Remediation gave up: the Machine is marked for Cluster API to delete and replace. */
  Deleting: 'Deleting machine',
  /** The node was healthy again after a reboot; the Machine is kept. */
  Succeeded: 'Succeeded',
} as const;
export type RemediationPhase = (typeof RemediationPhase)[keyof typeof RemediationPhase];

/** CAPH's `cooldown` default: a machine remediated within this window is replaced, not rebooted. */
export const DEFAULT_REMEDIATION_COOLDOWN = '30m';

/** How to remediate a machine (CAPH's RemediationStrategy, shared by both remediation kinds). */
export const RemediationStrategySchema = z
  .object({
    type: z
      .string()
      .default(RemediationType.Reboot)
      .describe('Type of the remediation strategy. At the moment, only "Reboot" is supported.'),
    retryLimit: integer()
      .optional()
      .describe('Maximum number of remediation retries (reboots). Zero retries if not set.'),
    timeout: z
      .string()
      .describe(
        'Time between remediation retries, and how long to wait for the node after the last one. ' +
          'A Go duration such as "10m" or "40s".',
      ),
    cooldown: z
      .string()
      .default(DEFAULT_REMEDIATION_COOLDOWN)
      .meta({
        'x-kubernetes-validations': [
          { rule: "duration(self) >= duration('0s')", message: 'cooldown must be non-negative' },
        ],
      })
      .describe(
        'Minimum time between successive remediations of the same machine. If a new remediation ' +
          'starts within this window of the previous successful one, the reboot is skipped and the ' +
          'machine is deleted. Set to 0s to disable the guard.',
      ),
  })
  .describe('How the machine is remediated.');
export type RemediationStrategy = z.infer<typeof RemediationStrategySchema>;
export type RemediationStrategyInput = z.input<typeof RemediationStrategySchema>;
