/**
 * Conditions as the machines keep them: one per type, written only through changes, so the
 * Cluster API rule "lastTransitionTime moves only when the status does" holds in one place.
 * The kube side writes them in both CAPH formats (v1beta1 and v1beta2) from the reason strings.
 */
export type ConditionStatus = 'True' | 'False' | 'Unknown';
export type ConditionSeverity = 'Error' | 'Warning' | 'Info';

export interface Condition {
  readonly status: ConditionStatus;
  /** A key of the machine's reason vocabulary (map it to CAPH's strings there). */
  readonly reason: string;
  readonly message: string;
  /** For False v1beta1 conditions. */
  readonly severity?: ConditionSeverity;
  /** Changes only when `status` changes (Cluster API's rule). */
  readonly lastTransitionTime: Date;
}

export type Conditions<Type extends string> = Readonly<Partial<Record<Type, Condition>>>;

/** A reason together with the condition it belongs to. */
export interface ReasonRef {
  readonly type: string;
  readonly reason: string;
}

/** What a handler wants a condition to say. */
export type ConditionChangeOf<R extends ReasonRef> = R & {
  readonly status: ConditionStatus;
  readonly message: string;
  readonly severity?: ConditionSeverity;
};

/** `reason` set True (CAPH's positive conditions carry an empty message). */
export function conditionTrue<R extends ReasonRef>(reason: R, message = ''): ConditionChangeOf<R> {
  return { ...reason, status: 'True', message };
}

/** `reason` set False; severity Warning unless said otherwise (CAPH's most common choice). */
export function conditionFalse<R extends ReasonRef>(
  reason: R,
  message: string,
  severity: ConditionSeverity = 'Warning',
): ConditionChangeOf<R> {
  return { ...reason, status: 'False', message, severity };
}

export function conditionUnknown<R extends ReasonRef>(reason: R, message: string): ConditionChangeOf<R> {
  return { ...reason, status: 'Unknown', message };
}

/** The conditions after `changes`, stamping `now` only where a status actually changed. */
export function applyConditionChanges<R extends ReasonRef>(
  conditions: Conditions<R['type']>,
  changes: readonly ConditionChangeOf<R>[],
  now: Date,
): Conditions<R['type']> {
  const next: Partial<Record<R['type'], Condition>> = { ...conditions };
  for (const change of changes) {
    const type: R['type'] = change.type;
    const previous = next[type];
    const lastTransitionTime =
      previous && previous.status === change.status ? previous.lastTransitionTime : now;
    next[type] = {
      status: change.status,
      reason: change.reason,
      message: change.message,
      ...(change.severity && change.status === 'False' ? { severity: change.severity } : {}),
      lastTransitionTime,
    };
  }
  return next;
}
