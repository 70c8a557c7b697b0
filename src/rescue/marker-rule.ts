/**
 * The success rule of image-url commands: the command succeeded when the LAST LINE of its combined output
 * contains `IMAGE_URL_DONE` (case-sensitive, anywhere in the line). As with CAPH's
 * `tail -n 1 | grep -q`, one final newline ends the last line rather than starting a new one,
 * so "…IMAGE_URL_DONE\n" succeeds while "…IMAGE_URL_DONE\n\n" (a trailing empty line) and a
 * marker followed by any other line fail. The exit code plays no part.
 *
 * The log can be huge, so the last line is found by reading backwards in bounded chunks
 * through `readAt`; memory stays at one chunk whatever the line length.
 */
export const doneMarker = 'IMAGE_URL_DONE';

export type MarkerVerdict = 'marker-last' | 'marker-missing' | 'output-after-marker';

/** Reads up to `length` bytes at `position`; may return fewer only at the end of the data. */
export type ReadAt = (position: number, length: number) => Promise<Buffer>;

const marker = Buffer.from(doneMarker);
const newline = 0x0a;

export async function lastLineVerdict(
  readAt: ReadAt,
  size: number,
  chunkBytes = 64 * 1024,
): Promise<MarkerVerdict> {
  if (size === 0) return 'marker-missing';
  const lastByte = await readAt(size - 1, 1);
  const end = lastByte[0] === newline ? size - 1 : size;
  if (await lastLineContainsMarker(readAt, end, chunkBytes)) return 'marker-last';
  // Only to word the failure: is the marker anywhere in the final chunk before the last line?
  const start = Math.max(0, size - chunkBytes);
  const tail = await readAt(start, size - start);
  return tail.includes(marker) ? 'output-after-marker' : 'marker-missing';
}

/** Scans [0, end) backwards for the last newline, testing the bytes after it for the marker. */
async function lastLineContainsMarker(readAt: ReadAt, end: number, chunkBytes: number): Promise<boolean> {
  // Bytes of the line already read that a marker spanning two chunks could start before.
  let carry = Buffer.alloc(0);
  let position = end;
  while (position > 0) {
    const start = Math.max(0, position - chunkBytes);
    const chunk = await readAt(start, position - start);
    const lineStart = chunk.lastIndexOf(newline) + 1;
    const window = Buffer.concat([chunk.subarray(lineStart), carry]);
    if (window.includes(marker)) return true;
    if (lineStart > 0) return false;
    carry = window.subarray(0, marker.length - 1);
    position = start;
  }
  return false;
}
