import { z } from 'zod';
import {
  ControllerGeneratedStatusSchema,
  FailureDomainSpecSchema,
  HCloudMachineStatusSchema,
  HCloudMachineTemplateStatusSchema,
  HCloudRemediationStatusSchema,
  HetznerBareMetalHostSpecSchema,
  HetznerBareMetalMachineStatusSchema,
  HetznerClusterStatusSchema,
  hcloudMachineKind,
  hcloudMachineTemplateKind,
  hcloudRemediationKind,
  hcloudRemediationTemplateKind,
  hetznerBareMetalHostKind,
  hetznerBareMetalMachineKind,
  hetznerBareMetalMachineTemplateKind,
  hetznerClusterKind,
  objectHeader,
  type KindDefinition,
  type PrinterColumn,
} from '../v1beta1/index.js';
import { v1beta2Status } from './status.js';

/**
 * The v1beta2 kinds: the v1beta1 definitions (names, columns, spec) with the status in its
 * v1beta2 form. Only what the versions do not share is written here.
 */

export const HCloudMachineStatusV1Beta2Schema = v1beta2Status(
  HCloudMachineStatusSchema,
  { failure: true, initialization: true },
  'The observed state of the HCloudMachine.',
);

export const HCloudMachineTemplateStatusV1Beta2Schema = v1beta2Status(
  HCloudMachineTemplateStatusSchema,
  {},
  'The observed state of the HCloudMachineTemplate.',
);

export const HCloudRemediationStatusV1Beta2Schema = v1beta2Status(
  HCloudRemediationStatusSchema,
  {},
  'The observed state of the HCloudRemediation.',
);

export const HCloudRemediationTemplateStatusV1Beta2Schema = z
  .object({ status: HCloudRemediationStatusV1Beta2Schema })
  .describe('The observed state of the HCloudRemediationTemplate (no controller writes it).');

export const HetznerBareMetalMachineStatusV1Beta2Schema = v1beta2Status(
  HetznerBareMetalMachineStatusSchema,
  { failure: true, initialization: true },
  'The observed state of the HetznerBareMetalMachine.',
);

/** The host keeps its controller status in `spec.status`, in v1beta2 as in v1beta1. */
export const HetznerBareMetalHostSpecV1Beta2Schema = HetznerBareMetalHostSpecSchema.extend({
  status: v1beta2Status(
    ControllerGeneratedStatusSchema,
    {},
    'Status written by the controller. It lives in the spec because part of it cannot be ' +
      'regenerated; do not edit.',
  ).optional(),
});

export const FailureDomainV1Beta2Schema = FailureDomainSpecSchema.extend({
  name: z.string().min(1).max(256).describe('Name of the failure domain (a location).'),
});

export const HetznerClusterStatusV1Beta2Schema = v1beta2Status(
  HetznerClusterStatusSchema,
  { initialization: true },
  'The observed state of the HetznerCluster.',
).extend({
  failureDomains: z
    .array(FailureDomainV1Beta2Schema)
    .max(100)
    .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'] })
    .optional()
    .describe('Failure domains (locations) machines are spread over, one per name.'),
});

/** v1beta1 columns that read a field v1beta2 moved. */
function v1beta2Columns(columns: readonly PrinterColumn[]): PrinterColumn[] {
  return columns.map((column) =>
    column.jsonPath === '.status.ready'
      ? { ...column, jsonPath: '.status.initialization.provisioned' }
      : column,
  );
}

function v1beta2Kind(
  v1beta1: KindDefinition,
  parts: { spec?: z.ZodType; status?: z.ZodType; specOptional?: boolean },
): KindDefinition {
  const spec = parts.spec ?? v1beta1.spec;
  const status = parts.status ?? v1beta1.status;
  return {
    ...v1beta1,
    printerColumns: v1beta2Columns(v1beta1.printerColumns),
    spec,
    ...(status === undefined ? {} : { status }),
    object: z.object({
      ...objectHeader(v1beta1.kind),
      spec: parts.specOptional ? spec.optional() : spec,
      ...(status === undefined ? {} : { status: status.optional() }),
    }),
  };
}

export const hcloudMachineV1Beta2Kind = v1beta2Kind(hcloudMachineKind, {
  status: HCloudMachineStatusV1Beta2Schema,
});
export const hcloudMachineTemplateV1Beta2Kind = v1beta2Kind(hcloudMachineTemplateKind, {
  status: HCloudMachineTemplateStatusV1Beta2Schema,
});
export const hcloudRemediationV1Beta2Kind = v1beta2Kind(hcloudRemediationKind, {
  status: HCloudRemediationStatusV1Beta2Schema,
  specOptional: true,
});
export const hcloudRemediationTemplateV1Beta2Kind = v1beta2Kind(hcloudRemediationTemplateKind, {
  status: HCloudRemediationTemplateStatusV1Beta2Schema,
  specOptional: true,
});
export const hetznerBareMetalHostV1Beta2Kind = v1beta2Kind(hetznerBareMetalHostKind, {
  spec: HetznerBareMetalHostSpecV1Beta2Schema,
});
export const hetznerBareMetalMachineV1Beta2Kind = v1beta2Kind(hetznerBareMetalMachineKind, {
  status: HetznerBareMetalMachineStatusV1Beta2Schema,
});
export const hetznerBareMetalMachineTemplateV1Beta2Kind = v1beta2Kind(
  hetznerBareMetalMachineTemplateKind,
  {},
);
export const hetznerClusterV1Beta2Kind = v1beta2Kind(hetznerClusterKind, {
  status: HetznerClusterStatusV1Beta2Schema,
});

/** Every v1beta2 kind, in the order of `kinds` in v1beta1. */
export const v1beta2Kinds: readonly KindDefinition[] = [
  hcloudMachineV1Beta2Kind,
  hcloudMachineTemplateV1Beta2Kind,
  hcloudRemediationV1Beta2Kind,
  hcloudRemediationTemplateV1Beta2Kind,
  hetznerBareMetalHostV1Beta2Kind,
  hetznerBareMetalMachineV1Beta2Kind,
  hetznerBareMetalMachineTemplateV1Beta2Kind,
  hetznerClusterV1Beta2Kind,
];
