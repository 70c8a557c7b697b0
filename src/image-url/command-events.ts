import type { MachineEvent } from '../ports/event-sink.js';
import type { CommandReport } from './command-report.js';
import { byteLength, firstBytes, lastBytes, redactSecrets } from './text-tail.js';

export interface EventLimits {
  /** The whole message stays within this many UTF-8 bytes. */
  readonly limitBytes: number;
  /** Values that must never appear (the registry token). */
  readonly secrets: readonly string[];
}

/**
 * The command's event, created on success and on failure, with the output (stdout and stderr).
 * Normal `ImageURLCommandSucceeded` or Warning `ImageURLCommandFailed` (failure and
 * timeout); the message is the summary line, then as much of the output's end as fits, because
 * the end of the output says how the command ended.
 */
export function commandEvent(report: CommandReport, limits: EventLimits): MachineEvent {
  const succeeded = report.outcome === 'succeeded';
  const summary = firstBytes(
    redactSecrets(report.summary, limits.secrets),
    Math.floor(limits.limitBytes / 2),
  );
  return {
    type: succeeded ? 'Normal' : 'Warning',
    reason: succeeded ? 'ImageURLCommandSucceeded' : 'ImageURLCommandFailed',
    message: `${summary}\n${outputSection(report, limits, limits.limitBytes - byteLength(summary) - 1)}`,
  };
}

function outputSection(report: CommandReport, limits: EventLimits, budget: number): string {
  if (report.log === undefined) {
    return firstBytes(`--- output unavailable: ${report.unavailable ?? 'not read'} ---`, budget);
  }
  const output = redactSecrets(report.log.tail, limits.secrets);
  const total = Math.max(report.log.sizeBytes, byteLength(output));
  if (total === 0) return '--- no output ---';
  // Reserve the header at its longest (both numbers as wide as the total) before cutting.
  const reserved = byteLength(header(total, total, true)) + 1;
  const shown = lastBytes(output, Math.max(0, budget - reserved));
  const complete = !report.log.truncated && shown === output;
  return `${header(byteLength(shown), total, !complete)}\n${shown}`;
}

function header(shown: number, total: number, cut: boolean): string {
  return cut ? `--- output: last ${shown} of ${total} bytes ---` : `--- output: ${total} bytes ---`;
}
