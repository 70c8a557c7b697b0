/** One boot-state change of one machine; `from` is '' for the first state. */
export interface Transition {
  readonly machine: string;
  readonly from: string;
  readonly to: string;
  /** Time spent in `from`. */
  readonly seconds: number;
}

export interface DurationRow {
  readonly from: string;
  readonly to: string;
  readonly count: number;
  readonly avg: number;
  readonly min: number;
  readonly max: number;
  readonly p50: number;
  readonly p95: number;
}

/**
 * The spec's duration table (the demo's and `imageurl report`'s): per (oldState, newState) the
 * count, average, minimum, maximum and the 50th and 95th percentiles, in first-seen order.
 */
export function durationRows(transitions: readonly Transition[]): DurationRow[] {
  const groups = new Map<string, { from: string; to: string; values: number[] }>();
  for (const transition of transitions) {
    const key = `${transition.from}\u0000${transition.to}`;
    const group = groups.get(key) ?? { from: transition.from, to: transition.to, values: [] };
    group.values.push(transition.seconds);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ from, to, values }) => {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      from,
      to,
      count: values.length,
      avg: values.reduce((sum, value) => sum + value, 0) / values.length,
      min: sorted[0] ?? 0,
      max: sorted.at(-1) ?? 0,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
    };
  });
}

/**
 * The nearest-rank percentile of ascending `sorted` values: the smallest value with at least
 * `p` percent of the values at or below it, so it is always a measured duration. 0 for none.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? 0;
}

const header = ['oldState', 'newState', 'count', 'avg(s)', 'min(s)', 'max(s)', 'p50(s)', 'p95(s)'];

function cellsOf(row: DurationRow): string[] {
  const seconds = [row.avg, row.min, row.max, row.p50, row.p95].map((n) => n.toFixed(2));
  return [row.from, row.to, String(row.count), ...seconds];
}

/** Plain-text columns, states left-aligned and numbers right-aligned. */
export function formatDurationTable(rows: readonly DurationRow[]): string {
  const cells = rows.map(cellsOf);
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

/** The same table in Markdown (a `|` in a state name cannot occur: states are identifiers). */
export function markdownDurationTable(rows: readonly DurationRow[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const align = header.map((_, column) => (column < 2 ? ':--' : '--:'));
  return [line(header), line(align), ...rows.map((row) => line(cellsOf(row)))].join('\n');
}
