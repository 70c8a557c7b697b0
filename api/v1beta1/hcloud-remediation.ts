import { z } from 'zod';
import { ConditionsSchema, objectHeader, V1Beta2StatusSchema } from './common.js';
import { dateTime, integer } from './fields.js';
import { readyConditionColumns, type KindDefinition } from './kind.js';
import { RemediationStrategySchema } from './remediation-strategy.js';

export const HCloudRemediationSpecSchema = z
  .object({ strategy: RemediationStrategySchema.optional() })
  .describe('The desired state of the HCloudRemediation.');
export type HCloudRemediationSpec = z.infer<typeof HCloudRemediationSpecSchema>;
export type HCloudRemediationSpecInput = z.input<typeof HCloudRemediationSpecSchema>;

export const HCloudRemediationStatusSchema = z
  .object({
    phase: z
      .string()
      .optional()
      .describe('Phase of the remediation: Running, Waiting, "Deleting machine" or Succeeded.'),
    retryCount: integer().optional().describe('How many times the server has been rebooted.'),
    lastRemediated: dateTime().optional().describe('When the server was last rebooted.'),
    conditions: ConditionsSchema.optional().describe('Conditions of the HCloudRemediation (v1beta1 form).'),
    v1beta2: V1Beta2StatusSchema.optional(),
  })
  .describe('The observed state of the HCloudRemediation.');
export type HCloudRemediationStatus = z.infer<typeof HCloudRemediationStatusSchema>;

export const HCloudRemediationSchema = z.object({
  ...objectHeader('HCloudRemediation'),
  spec: HCloudRemediationSpecSchema.optional(),
  status: HCloudRemediationStatusSchema.optional(),
});
export type HCloudRemediation = z.infer<typeof HCloudRemediationSchema>;
export type HCloudRemediationInput = z.input<typeof HCloudRemediationSchema>;

export const hcloudRemediationKind: KindDefinition = {
  kind: 'HCloudRemediation',
  listKind: 'HCloudRemediationList',
  plural: 'hcloudremediations',
  singular: 'hcloudremediation',
  shortNames: ['hcr'],
  categories: ['cluster-api'],
  scope: 'Namespaced',
  statusSubresource: true,
  description:
    'HCloudRemediation reboots the server of an unhealthy machine; Cluster API’s MachineHealthCheck ' +
    'creates it from an HCloudRemediationTemplate.',
  printerColumns: [
    {
      name: 'Timeout',
      type: 'string',
      jsonPath: '.spec.strategy.timeout',
      description: 'Timeout for the remediation',
    },
    { name: 'Phase', type: 'string', jsonPath: '.status.phase', description: 'Phase of the remediation' },
    {
      name: 'Last Remediated',
      type: 'string',
      jsonPath: '.status.lastRemediated',
      description: 'Timestamp of the last remediation attempt',
    },
    {
      name: 'Retry count',
      type: 'string',
      jsonPath: '.status.retryCount',
      description: 'How many times remediation controller has tried to remediate the node',
    },
    {
      name: 'Retry limit',
      type: 'string',
      jsonPath: '.spec.strategy.retryLimit',
      description: 'How many times remediation controller should attempt to remediate the node',
    },
    ...readyConditionColumns('.status.conditions'),
  ],
  spec: HCloudRemediationSpecSchema,
  status: HCloudRemediationStatusSchema,
  object: HCloudRemediationSchema,
};
