import type { ReasonRef } from './conditions.js';

/**
 * CAPH's strings for one reason. A machine's vocabulary maps condition type → reason key →
 * these, so handlers state a condition once and the kube side writes both formats from it.
 */
export interface ReasonStrings {
  /** null: this reason is written to v1beta2 only (CAPH sets no v1beta1 condition for it). */
  readonly v1beta1: string | null;
  /** '' where the condition type has no v1beta2 form (nothing is written there). */
  readonly v1beta2: string;
}

export type ReasonVocabulary = Readonly<Record<string, Readonly<Record<string, ReasonStrings>>>>;

/**
 * The strings of each version (v1beta1 '' for True conditions, which carry no reason there),
 * kept literal so a vocabulary can be checked against the condition types it writes.
 */
export const pair = <V1 extends string | null, V2 extends string>(
  v1beta1: V1,
  v1beta2: V2,
): { readonly v1beta1: V1; readonly v1beta2: V2 } => ({ v1beta1, v1beta2 });

/** The strings of one reason of `vocabulary`; throws for a reason it does not declare (a bug). */
export function lookupReasonStrings(vocabulary: ReasonVocabulary, reason: ReasonRef): ReasonStrings {
  const strings = vocabulary[reason.type]?.[reason.reason];
  if (!strings) throw new Error(`unknown reason ${reason.type}/${reason.reason}`);
  return strings;
}

/** Every reason of vocabulary `V` as a typed reference, `refs[type][reason]`. */
export type ReasonRefs<V extends ReasonVocabulary> = {
  readonly [T in keyof V & string]: {
    readonly [R in keyof V[T] & string]: { readonly type: T; readonly reason: R };
  };
};

/**
 * References to the reasons of `vocabulary`, so code names a reason as `refs.Type.Reason` and
 * never spells its key (a typo is a type error, a rename is one edit).
 */
export function reasonRefs<V extends ReasonVocabulary>(vocabulary: V): ReasonRefs<V> {
  const refs = Object.entries(vocabulary).map(([type, reasons]) => [
    type,
    Object.fromEntries(Object.keys(reasons).map((reason) => [reason, { type, reason }])),
  ]);
  return Object.fromEntries(refs) as ReasonRefs<V>;
}
