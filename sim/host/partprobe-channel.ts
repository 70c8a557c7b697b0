/**
 * @module The host's end of `partprobe` inside a simulated server (sim/host/partprobe-shim.sh).
 * The shim, running in the booted system, makes a FIFO `partprobe.<pid>.reply` in the host's
 * control folder (bind-mounted at /run/imageurl-control), then renames its request into
 * `partprobe.<pid>.request`: one disk name per line, none for every disk. The host notices it
 * (inotify), handles it and writes the answer into the FIFO: summary lines, then `ok`, or one
 * line `error <why>`. Requests are handled one at a time, in the order they are found.
 */
import { constants, watch } from 'node:fs';
import { open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PartitionTable } from './partition-table.js';

/** Re-reads the partition tables of the named disks (all when none is named); returns summary lines. */
export type PartprobeHandler = (disks: readonly string[]) => Promise<readonly string[]>;

export interface PartprobeChannel {
  close(): void;
}

const requestName = /^partprobe\.(\d{1,10})\.request$/;
const diskName = /^[a-z0-9]{1,32}$/;

/** Answers the booted system's partprobe requests until closed. */
export function servePartprobe(controlDir: string, handle: PartprobeHandler): PartprobeChannel {
  let closed = false;
  let queue = Promise.resolve();
  const scan = (): void => {
    queue = queue.then(async () => {
      const names = closed ? [] : await readdir(controlDir).catch(() => []);
      for (const name of names) {
        const id = requestName.exec(name)?.[1];
        if (id !== undefined && !closed) await answer(controlDir, id, handle);
      }
    });
  };
  const watcher = watch(controlDir, scan);
  watcher.on('error', () => watcher.close());
  scan(); // a request made before the watch began
  return {
    close: () => {
      closed = true;
      watcher.close();
    },
  };
}

/** `partprobe -s` lines: `/dev/sda: gpt partitions 1 2`. */
export function partprobeSummary(tables: ReadonlyMap<string, PartitionTable>): string[] {
  return [...tables]
    .filter(([, table]) => table.label !== 'none') // a disk without a table prints nothing
    .map(([disk, table]) =>
      [`/dev/${disk}: ${table.label} partitions`, ...table.partitions.map((p) => p.number)].join(' '),
    );
}

async function answer(controlDir: string, id: string, handle: PartprobeHandler): Promise<void> {
  const requestPath = join(controlDir, `partprobe.${id}.request`);
  const request = await readRequest(requestPath);
  await rm(requestPath, { force: true });
  if (request === undefined) return;
  let reply: string;
  try {
    const disks = request.split('\n').filter((line) => line !== '');
    const invalid = disks.find((disk) => !diskName.test(disk));
    if (invalid !== undefined) throw new Error(`${JSON.stringify(invalid)} is not a disk name`);
    reply = [...(await handle(disks)), 'ok', ''].join('\n');
  } catch (error) {
    reply = `error ${(error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ')}\n`;
  }
  await writeReply(join(controlDir, `partprobe.${id}.reply`), reply);
}

/** The request's text; never through a symlink the system may have put there. */
async function readRequest(path: string): Promise<string | undefined> {
  try {
    const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      return (await file.stat()).isFile() ? await file.readFile('utf8') : undefined;
    } finally {
      await file.close();
    }
  } catch {
    return undefined;
  }
}

/** Into the shim's FIFO, without blocking: a shim that gave up (no reader) gets nothing. */
async function writeReply(path: string, reply: string): Promise<void> {
  try {
    const fifo = await open(path, constants.O_WRONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      if ((await fifo.stat()).isFIFO()) await fifo.write(reply);
    } finally {
      await fifo.close();
    }
  } catch {
    // the shim is gone; nobody waits for this answer
  }
}
