/** One observed boot-state change of one machine; `from` is '' for the first state. */
export interface Transition {
  readonly machine: string;
  readonly from: string;
  readonly to: string;
  readonly seconds: number;
}

export interface DurationRow {
  readonly from: string;
  readonly to: string;
  readonly avg: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/** The duration table: per (oldState, newState) the average, minimum and maximum over machines, in boot order. */
export function durationRows(transitions: readonly Transition[]): DurationRow[] {
  const groups = new Map<string, { from: string; to: string; values: number[] }>();
  for (const transition of transitions) {
    const key = `${transition.from}\u0000${transition.to}`;
    const group = groups.get(key) ?? { from: transition.from, to: transition.to, values: [] };
    group.values.push(transition.seconds);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ from, to, values }) => ({
    from,
    to,
    avg: values.reduce((sum, value) => sum + value, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
    count: values.length,
  }));
}

/** Plain-text columns: oldState newState avg(s) min(s) max(s). */
export function formatDurationTable(rows: readonly DurationRow[]): string {
  const header = ['oldState', 'newState', 'avg(s)', 'min(s)', 'max(s)'];
  const cells = rows.map((row) => [
    row.from,
    row.to,
    ...[row.avg, row.min, row.max].map((n) => n.toFixed(2)),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((line) => line[column]?.length ?? 0)),
  );
  const render = (line: readonly string[]): string =>
    line
      .map((cell, column) =>
        column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  return [render(header), ...cells.map(render)].join('\n');
}
