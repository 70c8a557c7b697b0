import { formatDurationTable, markdownDurationTable } from '../../util/duration-table.js';
import type { KindReport } from './report-data.js';

export const reportFormats = ['table', 'markdown', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (reportFormats as readonly string[]).includes(value);
}

/** The report as text in `format`; a kind without objects is left out, none at all says so. */
export function renderReport(reports: readonly KindReport[], format: ReportFormat): string {
  if (format === 'json') return JSON.stringify({ kinds: reports }, null, 2);
  if (reports.length === 0) return 'No HCloudMachines or HetznerBareMetalHosts found.';
  return reports.map((report) => renderKind(report, format)).join('\n\n');
}

function renderKind(report: KindReport, format: 'table' | 'markdown'): string {
  const markdown = format === 'markdown';
  const title = `${report.kind}s: ${report.machines}`;
  const table = report.rows.length === 0 ? 'no state changes recorded' : undefined;
  const lines = [
    markdown ? `## ${title}` : title,
    '',
    table ?? (markdown ? markdownDurationTable(report.rows) : formatDurationTable(report.rows)),
  ];
  if (report.failures.length > 0) {
    lines.push('', markdown ? '### Failures by reason' : 'Failures by reason:', '');
    for (const failure of report.failures) {
      const line = `${failure.reason}: ${failure.count} (${failure.machines.join(', ')})`;
      lines.push(markdown ? `- ${line}` : `  ${line}`);
    }
  }
  return lines.join('\n');
}
