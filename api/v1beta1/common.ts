import { z } from 'zod';
import { dateTime, int32, int64, stringMap } from './fields.js';

/** An owner reference as the apiserver stores it (unknown keys are kept). */
export const OwnerReferenceSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  name: z.string(),
  uid: z.string(),
  controller: z.boolean().optional(),
  blockOwnerDeletion: z.boolean().optional(),
});
export type OwnerReference = z.infer<typeof OwnerReferenceSchema>;

/**
 * The part of metav1.ObjectMeta imageurl reads. Every other key is kept as it is (the apiserver
 * owns metadata; the CRD schema of `metadata` is just `type: object`).
 */
export const ObjectMetaSchema = z.looseObject({
  name: z.string().optional(),
  generateName: z.string().optional(),
  namespace: z.string().optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  generation: int64().optional(),
  creationTimestamp: dateTime().nullable().optional(),
  deletionTimestamp: dateTime().nullable().optional(),
  labels: stringMap().optional(),
  annotations: stringMap().optional(),
  finalizers: z.array(z.string()).optional(),
  ownerReferences: z.array(OwnerReferenceSchema).optional(),
});
export type ObjectMeta = z.infer<typeof ObjectMetaSchema>;

/** Cluster API's template ObjectMeta: only labels and annotations (other keys are pruned). */
export const TemplateObjectMetaSchema = z
  .object({
    labels: stringMap().optional().describe('Labels copied to the objects created from this template.'),
    annotations: stringMap()
      .optional()
      .describe('Annotations copied to the objects created from this template.'),
  })
  .describe('Metadata for the objects created from this template.');
export type TemplateObjectMeta = z.infer<typeof TemplateObjectMetaSchema>;

/** The `apiVersion`, `kind` and `metadata` of an object of `kind`. */
export function objectHeader(kind: string): {
  apiVersion: z.ZodOptional<z.ZodString>;
  kind: z.ZodOptional<z.ZodLiteral<string>>;
  metadata: typeof ObjectMetaSchema;
} {
  return { apiVersion: z.string().optional(), kind: z.literal(kind).optional(), metadata: ObjectMetaSchema };
}

/** A Cluster API v1beta1 condition (clusterv1beta1.Condition), CAPH's `status.conditions`. */
export const ConditionSchema = z.object({
  type: z.string().min(1).max(256).describe('Type of the condition, in CamelCase.'),
  status: z.string().describe('Status of the condition: True, False or Unknown.'),
  severity: z.string().max(32).optional().describe('Error, Warning or Info; set only when status is False.'),
  lastTransitionTime: dateTime().describe('When the condition last changed from one status to another.'),
  reason: z.string().min(1).max(256).optional().describe('Why the condition last changed, in CamelCase.'),
  message: z.string().min(1).max(10240).optional().describe('Human-readable details of the last change.'),
});
export type Condition = z.infer<typeof ConditionSchema>;

export const ConditionsSchema = z.array(ConditionSchema);

const CONDITION_TYPE_PATTERN =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$/;
const CONDITION_REASON_PATTERN = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;

/** A metav1.Condition, CAPH's `status.v1beta2.conditions`. */
export const MetaConditionSchema = z.object({
  type: z.string().max(316).regex(CONDITION_TYPE_PATTERN).describe('Type of the condition, in CamelCase.'),
  status: z.enum(['True', 'False', 'Unknown']).describe('Status of the condition.'),
  observedGeneration: int64()
    .min(0)
    .optional()
    .describe('The metadata.generation the condition was computed for.'),
  lastTransitionTime: dateTime().describe('When the condition last changed from one status to another.'),
  reason: z
    .string()
    .min(1)
    .max(1024)
    .regex(CONDITION_REASON_PATTERN)
    .describe('Why the condition last changed, in CamelCase.'),
  message: z.string().max(32768).describe('Human-readable details of the last change; may be empty.'),
});
export type MetaCondition = z.infer<typeof MetaConditionSchema>;

/** `status.v1beta2`: the conditions CAPH already sets in their v1beta2 form. */
export const V1Beta2StatusSchema = z
  .object({
    conditions: z
      .array(MetaConditionSchema)
      .max(32)
      .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] })
      .optional()
      .describe('The object’s conditions in their metav1.Condition (v1beta2) form, one per type.'),
  })
  .describe('Fields CAPH adds or changes in its v1beta2 API, already maintained in v1beta1.');
export type V1Beta2Status = z.infer<typeof V1Beta2StatusSchema>;

/** A Cluster API machine address. */
export const MachineAddressSchema = z.object({
  type: z
    .enum(['Hostname', 'ExternalIP', 'InternalIP', 'ExternalDNS', 'InternalDNS'])
    .describe('Kind of address.'),
  address: z.string().min(1).max(256).describe('The address.'),
});
export type MachineAddress = z.infer<typeof MachineAddressSchema>;

/** A Hetzner location. */
export const RegionSchema = z
  .enum(['fsn1', 'hel1', 'nbg1', 'ash', 'hil', 'sin'])
  .describe('A Hetzner location (region).');
export type Region = z.infer<typeof RegionSchema>;

/** An SSH key known to the Hetzner Cloud API, by name. */
export const SSHKeySchema = z.object({
  name: z.string().min(1).describe('Name of the SSH key in the Hetzner API.'),
  fingerprint: z.string().optional().describe('Fingerprint of the SSH key; filled in by the controller.'),
});
export type SSHKey = z.infer<typeof SSHKeySchema>;

/** Which keys of a Secret hold an SSH key pair and its name. */
export const SSHSecretKeyRefSchema = z
  .object({
    name: z.string().describe('Key of the Secret data holding the name of the SSH key.'),
    publicKey: z.string().describe('Key of the Secret data holding the public key.'),
    privateKey: z.string().describe('Key of the Secret data holding the private key.'),
  })
  .describe('Keys of the Secret data.');

/** A Secret holding an SSH key pair. */
export const SSHSecretRefSchema = z.object({
  name: z.string().describe('Name of the Secret, in the namespace of the object.'),
  key: SSHSecretKeyRefSchema,
});
export type SSHSecretRef = z.infer<typeof SSHSecretRefSchema>;

/** A corev1.ObjectReference (replaced as a whole on update). */
export const ObjectReferenceSchema = z
  .object({
    apiVersion: z.string().optional(),
    kind: z.string().optional(),
    name: z.string().optional(),
    namespace: z.string().optional(),
    uid: z.string().optional(),
    resourceVersion: z.string().optional(),
    fieldPath: z.string().optional(),
  })
  .meta({ 'x-kubernetes-map-type': 'atomic' });
export type ObjectReference = z.infer<typeof ObjectReferenceSchema>;

/** A corev1.SecretReference (replaced as a whole on update). */
export const SecretReferenceSchema = z
  .object({
    name: z.string().optional().describe('Name of the Secret.'),
    namespace: z.string().optional().describe('Namespace of the Secret.'),
  })
  .meta({ 'x-kubernetes-map-type': 'atomic' });
export type SecretReference = z.infer<typeof SecretReferenceSchema>;

/** A Cluster API endpoint (host and port of an API server). */
export const APIEndpointSchema = z.object({
  host: z.string().max(512).optional().describe('Host name or IP address.'),
  port: int32().optional().describe('TCP port.'),
});
export type APIEndpoint = z.infer<typeof APIEndpointSchema>;

/**
 * `status.observedGeneration`: not in CAPH's v1beta1 API. imageurl's controller writes the
 * metadata.generation it last reconciled, so clients can tell whether the status is current.
 */
export function observedGeneration(): z.ZodOptional<z.ZodInt> {
  return int64()
    .min(0)
    .optional()
    .describe(
      'The metadata.generation the controller last reconciled (an imageurl addition; CAPH has no such field).',
    );
}
