import { z } from 'zod';
import { ConditionsSchema, objectHeader, TemplateObjectMetaSchema, V1Beta2StatusSchema } from './common.js';
import { notActedOn, quantity } from './fields.js';
import { HCloudMachineSpecSchema } from './hcloud-machine.js';
import { readyConditionColumns, type KindDefinition } from './kind.js';

export const HCloudMachineTemplateResourceSchema = z
  .object({
    metadata: TemplateObjectMetaSchema.optional(),
    spec: HCloudMachineSpecSchema,
  })
  .describe('The HCloudMachine to create from this template.');
export type HCloudMachineTemplateResource = z.infer<typeof HCloudMachineTemplateResourceSchema>;

export const HCloudMachineTemplateSpecSchema = z
  .object({ template: HCloudMachineTemplateResourceSchema })
  .describe('The desired state of the HCloudMachineTemplate.');
export type HCloudMachineTemplateSpec = z.infer<typeof HCloudMachineTemplateSpecSchema>;
export type HCloudMachineTemplateSpecInput = z.input<typeof HCloudMachineTemplateSpecSchema>;

export const HCloudMachineTemplateStatusSchema = z
  .object({
    capacity: z
      .record(z.string(), quantity())
      .optional()
      .describe(
        notActedOn('Resources of the server type (cpu, memory), for Cluster API autoscaling from zero.'),
      ),
    conditions: ConditionsSchema.optional().describe(
      notActedOn('Conditions of the template (v1beta1 form).'),
    ),
    v1beta2: V1Beta2StatusSchema.optional(),
    ownerType: z
      .string()
      .optional()
      .describe(notActedOn('Kind of the object that owns the template (for example ClusterClass).')),
  })
  .describe('The observed state of the HCloudMachineTemplate.');
export type HCloudMachineTemplateStatus = z.infer<typeof HCloudMachineTemplateStatusSchema>;

export const HCloudMachineTemplateSchema = z.object({
  ...objectHeader('HCloudMachineTemplate'),
  spec: HCloudMachineTemplateSpecSchema,
  status: HCloudMachineTemplateStatusSchema.optional(),
});
export type HCloudMachineTemplate = z.infer<typeof HCloudMachineTemplateSchema>;
export type HCloudMachineTemplateInput = z.input<typeof HCloudMachineTemplateSchema>;

export const hcloudMachineTemplateKind: KindDefinition = {
  kind: 'HCloudMachineTemplate',
  listKind: 'HCloudMachineTemplateList',
  plural: 'hcloudmachinetemplates',
  singular: 'hcloudmachinetemplate',
  shortNames: ['capihcmt'],
  categories: ['cluster-api'],
  scope: 'Namespaced',
  statusSubresource: true,
  description: 'HCloudMachineTemplate describes the HCloudMachines Cluster API creates for a machine set.',
  printerColumns: [
    {
      name: 'Image',
      type: 'string',
      jsonPath: '.spec.template.spec.imageName',
      description: 'Image name',
    },
    {
      name: 'Image URL',
      type: 'string',
      jsonPath: '.spec.template.spec.imageURL',
      description: 'URL the image-url-command installs',
    },
    {
      name: 'Placement group',
      type: 'string',
      jsonPath: '.spec.template.spec.placementGroupName',
      description: 'Placement group name',
    },
    { name: 'Type', type: 'string', jsonPath: '.spec.template.spec.type', description: 'Server type' },
    ...readyConditionColumns('.status.conditions'),
  ],
  spec: HCloudMachineTemplateSpecSchema,
  status: HCloudMachineTemplateStatusSchema,
  object: HCloudMachineTemplateSchema,
};
