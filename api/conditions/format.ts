/**
 * The shape of a condition vocabulary. Every condition type of a kind is declared once, with its
 * spelling in each of CAPH's two formats: `v1beta1` for `status.conditions` (Cluster API v1beta1
 * conditions) and `v1beta2` for `status.v1beta2.conditions` (metav1 conditions). A format is
 * absent where CAPH writes no such condition in it. Reason keys name the event; where the two
 * formats spell an event differently, each side keeps CAPH's exact string.
 */

/** Severity of a False v1beta1 condition. */
export const ConditionSeverity = { Error: 'Error', Warning: 'Warning', Info: 'Info', None: '' } as const;
export type ConditionSeverity = (typeof ConditionSeverity)[keyof typeof ConditionSeverity];

export const ConditionStatus = { True: 'True', False: 'False', Unknown: 'Unknown' } as const;
export type ConditionStatus = (typeof ConditionStatus)[keyof typeof ConditionStatus];

/** One condition type in one format: its type string and its reasons (key → CAPH's string). */
export interface ConditionSpelling {
  readonly type: string;
  readonly reasons: Readonly<Record<string, string>>;
}

/** One condition type in both formats. */
export interface ConditionDefinition {
  readonly v1beta1?: ConditionSpelling;
  readonly v1beta2?: ConditionSpelling;
}

/** A kind's condition types, keyed by the v1beta2 type name (the v1beta1 one where v1beta2 has none). */
export type KindConditions = Readonly<Record<string, ConditionDefinition>>;

type ReasonsIn<S> = S extends { readonly reasons: infer R } ? R[keyof R] : never;

/** Every reason `format` of condition `C` may carry. */
export type ReasonOf<C extends ConditionDefinition, F extends keyof ConditionDefinition> = ReasonsIn<C[F]>;

/**
 * How one event of condition `C` is written: a reason of each format, '' where the format writes
 * no reason (v1beta1 True conditions; formats without this condition type), null where v1beta1
 * writes no condition at all for it.
 */
export interface ReasonPair<C extends ConditionDefinition> {
  readonly v1beta1: ReasonOf<C, 'v1beta1'> | '' | null;
  readonly v1beta2: ReasonOf<C, 'v1beta2'> | '';
}

/** A machine's vocabulary over kind `K`: per condition type, its events and how each is written. */
export type ReasonPairs<K extends KindConditions> = {
  readonly [T in keyof K]?: Readonly<Record<string, ReasonPair<K[T]>>>;
};
