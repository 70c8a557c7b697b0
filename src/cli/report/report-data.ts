import { durationRows, type DurationRow, type Transition } from '../../util/duration-table.js';
import type { MachineHistory, ReportKind } from './machine-history.js';

/** How often one failure reason was recorded, and on which objects. */
export interface FailureCount {
  readonly reason: string;
  readonly count: number;
  readonly machines: readonly string[];
}

/** The report of one kind: its duration table and its failures. */
export interface KindReport {
  readonly kind: ReportKind['kind'];
  readonly machines: number;
  readonly rows: readonly DurationRow[];
  readonly failures: readonly FailureCount[];
}

/** `namespace/name`, how the report names an object. */
export const machineLabel = (history: MachineHistory): string => `${history.namespace}/${history.name}`;

/**
 * One report per kind that has objects, from the recorded changes at or after `since` (ms since
 * the epoch; all when undefined). A change whose state stayed (a failure without a failed state)
 * is a failure, not a row: no state ended there.
 */
export function buildReport(histories: readonly MachineHistory[], since: number | undefined): KindReport[] {
  const kinds = [...new Set(histories.map((history) => history.kind))];
  return kinds.map((kind) => {
    const ofKind = histories.filter((history) => history.kind === kind);
    const changes = ofKind.flatMap((history) =>
      history.changes
        .filter((change) => since === undefined || change.at.getTime() >= since)
        .map((change) => ({ machine: machineLabel(history), change })),
    );
    const transitions: Transition[] = changes
      .filter(({ change }) => change.from !== change.to)
      .map(({ machine, change }) => ({
        machine,
        from: change.from,
        to: change.to,
        seconds: change.durationMs / 1000,
      }));
    const failures = new Map<string, { count: number; machines: Set<string> }>();
    for (const { machine, change } of changes) {
      if (change.reason === undefined) continue;
      const entry = failures.get(change.reason) ?? { count: 0, machines: new Set<string>() };
      entry.count += 1;
      entry.machines.add(machine);
      failures.set(change.reason, entry);
    }
    return {
      kind,
      machines: ofKind.length,
      rows: durationRows(transitions),
      failures: [...failures].map(([reason, { count, machines }]) => ({
        reason,
        count,
        machines: [...machines],
      })),
    };
  });
}
