/** @module Loop devices over a simulated server's disk files: attach, detach, device numbers. */
import { execFile, execFileSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { hostPrograms } from './host-requirements.js';

const run = promisify(execFile);

export interface LoopDevice {
  /** `/dev/loopN` on the machine. */
  readonly loopDevice: string;
  readonly major: number;
  readonly minor: number;
  /**
   * The device's count of written sectors when it was attached: the kernel keeps counting
   * across detach and attach, so writes through this attachment are the count minus this.
   */
  readonly sectorsWrittenBefore: number;
}

/** A byte range of the file: a partition's loop device instead of the whole disk. */
export interface LoopRange {
  readonly offsetBytes: number;
  readonly sizeBytes: number;
}

/** Attaches a free loop device, read-write, over `file` (or the range of it). */
export async function attachLoop(file: string, range?: LoopRange): Promise<LoopDevice> {
  const rangeArgs = range
    ? ['--offset', String(range.offsetBytes), '--sizelimit', String(range.sizeBytes)]
    : [];
  const { stdout } = await run(hostPrograms.losetup, ['--find', '--show', ...rangeArgs, file]);
  const loopDevice = stdout.trim();
  const { rdev } = await stat(loopDevice);
  return { loopDevice, ...deviceNumbers(rdev), sectorsWrittenBefore: await sectorsWritten(loopDevice) };
}

/** Sectors written to the device since the kernel created it (0 when unknown). */
export async function sectorsWritten(loopDevice: string): Promise<number> {
  const stat = await readFile(`/sys/block/${basename(loopDevice)}/stat`, 'utf8').catch(() => '');
  const sectors = Number(stat.trim().split(/\s+/)[6]);
  return Number.isSafeInteger(sectors) ? sectors : 0;
}

/** Detaches a loop device; the kernel finishes once its last user has closed it. */
export async function detachLoop(loopDevice: string): Promise<void> {
  await run(hostPrograms.losetup, ['--detach', loopDevice]).catch(() => undefined);
}

/** For process-exit hooks, where nothing asynchronous can run. */
export function detachLoopNow(loopDevice: string): void {
  try {
    execFileSync(hostPrograms.losetup, ['--detach', loopDevice], { stdio: 'ignore' });
  } catch {
    // already gone
  }
}

/** Splits a Linux dev_t as glibc's major()/minor() do (loop minors pass 255 beyond loop255). */
export function deviceNumbers(rdev: number): { major: number; minor: number } {
  return {
    major: Math.floor(rdev / 0x100) & 0xfff,
    minor: (rdev & 0xff) | (Math.floor(rdev / 0x1000) & 0xfff00),
  };
}
