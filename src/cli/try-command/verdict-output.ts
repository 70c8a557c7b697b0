import type { DriveOutcome } from './drive-command.js';
import type { DiskContents, PartitionContents } from './sandbox-module.js';

/** Everything a run of try-command found, as printed with `-o json`. */
export interface TryCommandResult {
  readonly outcome: 'passed' | 'failed' | 'not-run';
  /** The controller's condition reason of a failure (HCloudMachine ServerProvisioned). */
  readonly reason?: { readonly v1beta1: string | null; readonly v1beta2: string };
  /** What the controller would say: the condition message of a failure, or why nothing ran. */
  readonly message?: string;
  /** The event's first line (`image-url-command failed (exit code 1): …`). */
  readonly summary?: string;
  /** The fourth argument the command got. */
  readonly devices?: string;
  readonly durationMs?: number;
  readonly writtenBytes?: number;
  readonly bytesPerSecond?: number;
  readonly disks?: readonly DiskContents[];
}

export function resultOf(
  outcome: DriveOutcome,
  finished?: { readonly writtenBytes: number; readonly disks: readonly DiskContents[] },
): TryCommandResult {
  if (outcome.outcome === 'not-run') return { outcome: 'not-run', message: outcome.message };
  const seconds = outcome.durationMs / 1000;
  const written = finished?.writtenBytes;
  return {
    outcome: outcome.outcome,
    ...(outcome.outcome === 'failed' ? { reason: outcome.reason, message: outcome.message } : {}),
    ...(outcome.report ? { summary: outcome.report.summary } : {}),
    devices: outcome.devices,
    durationMs: outcome.durationMs,
    ...(written === undefined
      ? {}
      : { writtenBytes: written, bytesPerSecond: seconds > 0 ? Math.round(written / seconds) : 0 }),
    ...(finished ? { disks: finished.disks } : {}),
  };
}

export function renderText(result: TryCommandResult): string {
  const lines = ['', '--- verdict ---', verdictLine(result)];
  if (result.summary !== undefined) lines.push(`event: ${result.summary}`);
  if (result.durationMs !== undefined) {
    const rate = result.bytesPerSecond === undefined ? '' : `, ${size(result.bytesPerSecond)}/s`;
    const written = result.writtenBytes === undefined ? '' : `, ${size(result.writtenBytes)} written${rate}`;
    lines.push(
      `took ${(result.durationMs / 1000).toFixed(1)}s${written}; root devices argument: '${result.devices ?? ''}'`,
    );
  }
  for (const disk of result.disks ?? []) lines.push(...diskLines(disk));
  return `${lines.join('\n')}\n`;
}

function verdictLine(result: TryCommandResult): string {
  switch (result.outcome) {
    case 'passed':
      return 'PASSED: the controller would reboot into the installed OS (BootingToRealOS)';
    case 'failed':
      return `FAILED: ${reasonText(result.reason)}: ${result.message ?? ''}`;
    case 'not-run':
      return `COULD NOT RUN: ${result.message ?? ''}`;
  }
}

/** The v1beta2 reason, and the v1beta1 one where CAPH's older name differs. */
function reasonText(reason: TryCommandResult['reason']): string {
  if (reason === undefined) return '';
  const older = reason.v1beta1;
  return older && older !== reason.v1beta2 ? `${reason.v1beta2} (v1beta1: ${older})` : reason.v1beta2;
}

function diskLines(disk: DiskContents): string[] {
  const what = disk.simOsImage === undefined ? disk.partitionTable : `simulated OS image ${disk.simOsImage}`;
  const lines = [
    '',
    `--- disk ${disk.name}: ${size(disk.sizeBytes)}, ${size(disk.usedBytes)} used, ${what} ---`,
  ];
  if (disk.wholeDisk) lines.push(`  whole disk: ${filesystem(disk.wholeDisk)}`);
  lines.push(...disk.partitions.map(partitionLine));
  lines.push(`  boot loader: ${disk.bootLoaders.join('; ') || 'none found'}`);
  const placements = disk.bootstrapData.map(
    (p) => `${p.kind} ${p.where}${p.files.length > 0 ? `: ${p.files.join(', ')}` : ''}`,
  );
  lines.push(`  bootstrap data: ${placements.join('; ') || 'not found on this disk'}`);
  return lines;
}

function partitionLine(partition: PartitionContents): string {
  const name = partition.name === undefined ? '' : ` "${partition.name}"`;
  const esp = partition.esp ? ' EFI system partition,' : '';
  const fs = partition.filesystem ? filesystem(partition.filesystem) : 'no filesystem found';
  return `  ${partition.node}  ${size(partition.sizeBytes)} at ${size(partition.offsetBytes)}${name},${esp} ${fs}`;
}

function filesystem(fs: { readonly type: string; readonly label?: string }): string {
  return fs.label === undefined ? fs.type : `${fs.type} labelled ${JSON.stringify(fs.label)}`;
}

function size(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? String(value) : value.toFixed(1)} ${units[unit] ?? 'B'}`;
}
