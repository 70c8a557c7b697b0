import { z } from 'zod';
import { objectHeader } from './common.js';
import { HCloudRemediationSpecSchema, HCloudRemediationStatusSchema } from './hcloud-remediation.js';
import type { KindDefinition } from './kind.js';

export const HCloudRemediationTemplateResourceSchema = z
  .object({ spec: HCloudRemediationSpecSchema })
  .describe('The HCloudRemediation to create from this template.');

export const HCloudRemediationTemplateSpecSchema = z
  .object({ template: HCloudRemediationTemplateResourceSchema })
  .describe('The desired state of the HCloudRemediationTemplate.');
export type HCloudRemediationTemplateSpec = z.infer<typeof HCloudRemediationTemplateSpecSchema>;

export const HCloudRemediationTemplateStatusSchema = z
  .object({ status: HCloudRemediationStatusSchema })
  .describe('The observed state of the HCloudRemediationTemplate (no controller writes it).');

export const HCloudRemediationTemplateSchema = z.object({
  ...objectHeader('HCloudRemediationTemplate'),
  spec: HCloudRemediationTemplateSpecSchema.optional(),
  status: HCloudRemediationTemplateStatusSchema.optional(),
});
export type HCloudRemediationTemplate = z.infer<typeof HCloudRemediationTemplateSchema>;
export type HCloudRemediationTemplateInput = z.input<typeof HCloudRemediationTemplateSchema>;

export const hcloudRemediationTemplateKind: KindDefinition = {
  kind: 'HCloudRemediationTemplate',
  listKind: 'HCloudRemediationTemplateList',
  plural: 'hcloudremediationtemplates',
  singular: 'hcloudremediationtemplate',
  shortNames: ['hcrt'],
  categories: ['cluster-api'],
  scope: 'Namespaced',
  statusSubresource: true,
  description:
    'HCloudRemediationTemplate is what a MachineHealthCheck’s remediation templateRef names: the ' +
    'HCloudRemediation it creates for an unhealthy machine.',
  printerColumns: [
    {
      name: 'Strategy',
      type: 'string',
      jsonPath: '.spec.template.spec.strategy.type',
      description: 'Type of the remediation strategy',
    },
    {
      name: 'Retry limit',
      type: 'string',
      jsonPath: '.spec.template.spec.strategy.retryLimit',
      description: 'How many times remediation controller should attempt to remediate the node',
    },
    {
      name: 'Timeout',
      type: 'string',
      jsonPath: '.spec.template.spec.strategy.timeout',
      description: 'Timeout for the remediation',
    },
  ],
  spec: HCloudRemediationTemplateSpecSchema,
  status: HCloudRemediationTemplateStatusSchema,
  object: HCloudRemediationTemplateSchema,
};
