import { z } from 'zod';
import { objectHeader, TemplateObjectMetaSchema } from './common.js';
import { HetznerBareMetalMachineSpecSchema } from './hetzner-bare-metal-machine.js';
import { ageColumn, type KindDefinition } from './kind.js';

export const HetznerBareMetalMachineTemplateResourceSchema = z
  .object({
    metadata: TemplateObjectMetaSchema.optional(),
    spec: HetznerBareMetalMachineSpecSchema,
  })
  .describe('The HetznerBareMetalMachine to create from this template.');
export type HetznerBareMetalMachineTemplateResource = z.infer<
  typeof HetznerBareMetalMachineTemplateResourceSchema
>;

export const HetznerBareMetalMachineTemplateSpecSchema = z
  .object({ template: HetznerBareMetalMachineTemplateResourceSchema })
  .describe('The desired state of the HetznerBareMetalMachineTemplate.');
export type HetznerBareMetalMachineTemplateSpec = z.infer<typeof HetznerBareMetalMachineTemplateSpecSchema>;
export type HetznerBareMetalMachineTemplateSpecInput = z.input<
  typeof HetznerBareMetalMachineTemplateSpecSchema
>;

/** CAPH's HetznerBareMetalMachineTemplate has no status (and no status subresource). */
export const HetznerBareMetalMachineTemplateSchema = z.object({
  ...objectHeader('HetznerBareMetalMachineTemplate'),
  spec: HetznerBareMetalMachineTemplateSpecSchema,
});
export type HetznerBareMetalMachineTemplate = z.infer<typeof HetznerBareMetalMachineTemplateSchema>;
export type HetznerBareMetalMachineTemplateInput = z.input<typeof HetznerBareMetalMachineTemplateSchema>;

export const hetznerBareMetalMachineTemplateKind: KindDefinition = {
  kind: 'HetznerBareMetalMachineTemplate',
  listKind: 'HetznerBareMetalMachineTemplateList',
  plural: 'hetznerbaremetalmachinetemplates',
  singular: 'hetznerbaremetalmachinetemplate',
  shortNames: ['hbmmt'],
  categories: ['cluster-api'],
  scope: 'Namespaced',
  statusSubresource: false,
  description:
    'HetznerBareMetalMachineTemplate describes the HetznerBareMetalMachines Cluster API creates for a machine set.',
  printerColumns: [ageColumn('Time duration since creation of HetznerBareMetalMachineTemplate')],
  spec: HetznerBareMetalMachineTemplateSpecSchema,
  object: HetznerBareMetalMachineTemplateSchema,
};
