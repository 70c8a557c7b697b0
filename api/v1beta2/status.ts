import { z } from 'zod';
import { ConditionsSchema, MetaConditionSchema } from '../v1beta1/common.js';

/**
 * How a v1beta1 status becomes its v1beta2 form, the way Cluster API's v1beta2 contract moved its
 * own types: the metav1.Condition list (v1beta1's `status.v1beta2.conditions`) becomes
 * `status.conditions`; the v1beta1 conditions and `failureReason`/`failureMessage` move to
 * `status.deprecated.v1beta1`; `ready` becomes `status.initialization.provisioned`.
 */

/** The keys of a v1beta1 status that v1beta2 holds elsewhere. */
export const MOVED_STATUS_KEYS = [
  'conditions',
  'v1beta2',
  'failureReason',
  'failureMessage',
  'ready',
] as const;

export const V1Beta2ConditionsSchema = z
  .array(MetaConditionSchema)
  .max(32)
  .meta({ 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] })
  .describe('Conditions of the object (metav1.Condition), one per type.');

/** `status.deprecated`: what only the v1beta1 contract reads, kept while v1beta1 is served. */
export function deprecatedStatusSchema(withFailure: boolean): z.ZodOptional<z.ZodType> {
  const failure = withFailure
    ? {
        failureReason: z.string().optional().describe('Deprecated by Cluster API (v1beta1 contract).'),
        failureMessage: z.string().optional().describe('Deprecated by Cluster API (v1beta1 contract).'),
      }
    : {};
  return z
    .object({
      v1beta1: z
        .object({
          conditions: ConditionsSchema.optional().describe('The conditions in their v1beta1 form.'),
          ...failure,
        })
        .optional()
        .describe('Status fields of the v1beta1 contract.'),
    })
    .optional()
    .describe('Status fields that are deprecated and go once v1beta1 is no longer served.');
}

/** `status.initialization` of the v1beta2 InfraMachine and InfraCluster contracts. */
export const InitializationSchema = z
  .object({
    provisioned: z
      .boolean()
      .optional()
      .describe('True once the infrastructure is provisioned (v1beta1: status.ready).'),
  })
  .describe('Initialization signals Cluster API reads (v1beta2 contract).');

export interface V1Beta2StatusOptions {
  /** v1beta1 has `failureReason`/`failureMessage` (machines). */
  readonly failure?: boolean;
  /** v1beta1 has `ready`, which v1beta2 holds in `initialization.provisioned`. */
  readonly initialization?: boolean;
}

/** The v1beta2 form of a v1beta1 status object schema, keeping every field the versions share. */
export function v1beta2Status(
  v1beta1: z.ZodObject,
  options: V1Beta2StatusOptions,
  description: string,
): z.ZodObject {
  const shared = v1beta1.omit(
    Object.fromEntries(
      MOVED_STATUS_KEYS.filter((key) => key in v1beta1.shape).map((key) => [key, true]),
    ) as never,
  );
  return shared
    .extend({
      conditions: V1Beta2ConditionsSchema.optional(),
      deprecated: deprecatedStatusSchema(options.failure ?? false),
      ...(options.initialization ? { initialization: InitializationSchema.optional() } : {}),
    })
    .describe(description);
}
