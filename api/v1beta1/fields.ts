import { z } from 'zod';

/**
 * Field builders shared by every kind. Each one validates at parse time the way the apiserver
 * validates the CRD field it becomes, and emits the OpenAPI the CRD needs (api/crd/crd-schema.ts
 * removes what zod adds that a CRD cannot carry, such as the ±2^53 bounds of z.int()).
 */

/** The suffix every field imageurl accepts but does not act on carries in its description. */
export const NOT_ACTED_ON = 'Accepted for CAPH compatibility; not acted on by imageurl yet.';

/** `text` followed by the {@link NOT_ACTED_ON} note. */
export function notActedOn(text: string): string {
  return `${text} ${NOT_ACTED_ON}`;
}

/**
 * A CRD keyword (removed again by api/crd) for a defaulted field that CAPH's CRD also lists as
 * `required`. zod makes defaulted fields optional in the input, which the apiserver cannot tell
 * apart (defaults apply before validation); the marker keeps `kubectl explain` saying "required".
 */
export const REQUIRED_IN_CRD = 'x-imageurl-required';

/** `schema`, listed in its parent's `required` in the CRD even though it has a default. */
export function requiredInCrd<T extends z.ZodType>(schema: T): T {
  return schema.meta({ [REQUIRED_IN_CRD]: true });
}

/** A Go `int` (CRD `type: integer` without a format). */
export function integer(): z.ZodInt {
  return z.int();
}

/** A Go `int64` (CRD `format: int64`). */
export function int64(): z.ZodInt {
  return z.int().meta({ format: 'int64' });
}

/** A Go `int32` (CRD `format: int32`; the bounds are checked by parse and by the apiserver's format). */
export function int32(): z.ZodInt32 {
  return z.int32();
}

/** A metav1.Time: an RFC 3339 timestamp (CRD `format: date-time`). */
export function dateTime(): z.ZodISODateTime {
  return z.iso.datetime({ offset: true });
}

/** A Go `[]byte`: base64 text (CRD `format: byte`). */
export function bytes(): z.ZodBase64 {
  return z.base64();
}

/** A map of strings, such as labels (CRD `additionalProperties: {type: string}`). */
export function stringMap(): z.ZodRecord<z.ZodString, z.ZodString> {
  return z.record(z.string(), z.string());
}

/** Kubernetes' resource.Quantity syntax, as the apiserver checks it. */
export const QUANTITY_PATTERN =
  /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/** A resource.Quantity: an integer or a quantity string (CRD `x-kubernetes-int-or-string`). */
export function quantity(): z.ZodUnion<readonly [z.ZodInt, z.ZodString]> {
  return z.union([z.int(), z.string().regex(QUANTITY_PATTERN)]).meta({ 'x-kubernetes-int-or-string': true });
}
