import type { MachineHistory } from './machine-history.js';
import { machineLabel } from './report-data.js';

/** One state of one machine on the time axis, in pixels. */
export interface Span {
  readonly state: string;
  readonly x: number;
  readonly width: number;
  readonly seconds: number;
}

export interface TimelineRow {
  readonly machine: string;
  readonly spans: readonly Span[];
  /** Failures: where on the axis, and the reason. */
  readonly failures: readonly { readonly x: number; readonly reason: string }[];
}

const LABEL_WIDTH = 260;
const CHART_WIDTH = 800;
const ROW_HEIGHT = 22;
const TOP = 34;
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#bab0ac'];
const FAILED_COLOUR = '#e15759';

/**
 * Each machine's recorded states as spans between `start` and `end` (ms since the epoch): a
 * change ends its old state (which began `durationMs` earlier); the current state runs to `end`.
 */
export function timelineRows(
  histories: readonly MachineHistory[],
  start: number,
  end: number,
): TimelineRow[] {
  const scale = CHART_WIDTH / Math.max(1, end - start);
  const x = (ms: number): number => Math.round((Math.max(ms, start) - start) * scale * 10) / 10;
  return histories.map((history) => {
    const spans: Span[] = [];
    const changes = history.changes.filter((change) => change.from !== change.to);
    for (const change of changes) {
      const to = change.at.getTime();
      if (change.from !== '') spans.push(spanOf(change.from, to - change.durationMs, to));
    }
    const last = changes.at(-1);
    if (last) spans.push(spanOf(last.to, last.at.getTime(), end));
    const failures = history.changes
      .filter((change) => change.reason !== undefined)
      .map((change) => ({ x: x(change.at.getTime()), reason: change.reason ?? '' }));
    return { machine: machineLabel(history), spans, failures };

    function spanOf(state: string, from: number, to: number): Span {
      return { state, x: x(from), width: Math.max(0.5, x(to) - x(from)), seconds: (to - from) / 1000 };
    }
  });
}

/** The first and last instant of all recorded states; `now` ends the current ones. */
export function timelineRange(histories: readonly MachineHistory[], now: number): [number, number] {
  const starts = histories.flatMap((history) =>
    history.changes.map((change) => change.at.getTime() - change.durationMs),
  );
  return [starts.length === 0 ? now : Math.min(...starts), now];
}

/** The timeline as a standalone SVG document: one row per machine, a legend, failures in red. */
export function timelineSvg(histories: readonly MachineHistory[], now: number): string {
  const [start, end] = timelineRange(histories, now);
  const rows = timelineRows(histories, start, end);
  const states = [...new Set(rows.flatMap((row) => row.spans.map((span) => span.state)))];
  const colour = (state: string): string => PALETTE[states.indexOf(state) % PALETTE.length] ?? '#888';
  const legendY = TOP + rows.length * ROW_HEIGHT + 16;
  const height = legendY + Math.ceil(states.length / 4) * 18 + 10;
  const width = LABEL_WIDTH + CHART_WIDTH + 20;
  const body = [
    `<text x="${LABEL_WIDTH}" y="14">0 s</text>`,
    `<text x="${LABEL_WIDTH + CHART_WIDTH}" y="14" text-anchor="end">${((end - start) / 1000).toFixed(0)} s</text>`,
    `<line x1="${LABEL_WIDTH}" y1="20" x2="${LABEL_WIDTH + CHART_WIDTH}" y2="20" stroke="#888"/>`,
    ...rows.map((row, index) => rowSvg(row, TOP + index * ROW_HEIGHT, colour)),
    ...states.map((state, index) => {
      const lx = LABEL_WIDTH + (index % 4) * 200;
      const ly = legendY + Math.floor(index / 4) * 18;
      return `<g class="legend"><rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${colour(state)}"/><text x="${lx + 16}" y="${ly}">${escapeXml(state)}</text></g>`;
    }),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

function rowSvg(row: TimelineRow, y: number, colour: (state: string) => string): string {
  const spans = row.spans.map(
    (span) =>
      `<rect x="${LABEL_WIDTH + span.x}" y="${y}" width="${span.width}" height="${ROW_HEIGHT - 6}" fill="${colour(span.state)}"><title>${escapeXml(`${span.state}: ${span.seconds.toFixed(1)} s`)}</title></rect>`,
  );
  const failures = row.failures.map((failure) => {
    const fx = LABEL_WIDTH + failure.x;
    return `<path d="M${fx - 5} ${y} L${fx + 5} ${y + ROW_HEIGHT - 6} M${fx + 5} ${y} L${fx - 5} ${y + ROW_HEIGHT - 6}" stroke="${FAILED_COLOUR}" stroke-width="3"><title>${escapeXml(failure.reason)}</title></path>`;
  });
  return [
    `<g class="machine">`,
    `<text x="4" y="${y + 12}">${escapeXml(row.machine)}</text>`,
    ...spans,
    ...failures,
    '</g>',
  ].join('');
}

/** Text and attribute values as XML: names come from the cluster and may hold anything. */
export function escapeXml(text: string): string {
  // eslint-disable-next-line no-control-regex -- XML 1.0 has no way to write these characters
  const clean = text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
  return clean.replace(/[<>&"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
