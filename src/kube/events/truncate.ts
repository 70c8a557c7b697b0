/** Which end of an over-long text survives truncation. */
export type KeepEnd = 'head' | 'tail';

/** The longest prefix of `bytes` (UTF-8) of at most `limit` bytes that does not split a character. */
function headBytes(bytes: Buffer, limit: number): string {
  let end = Math.min(limit, bytes.length);
  while (end > 0 && end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

function tailBytes(bytes: Buffer, limit: number): string {
  let start = Math.max(0, bytes.length - limit);
  while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString('utf8');
}

/**
 * `text` cut to at most `limitBytes` UTF-8 bytes, marker included, keeping the head (for
 * messages) or the tail (for command output, whose end says how it ended).
 */
export function truncateUtf8(text: string, limitBytes: number, keep: KeepEnd = 'head'): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limitBytes) return text;
  const marker = (cut: number): string => `…[truncated ${cut} bytes]`;
  // The marker's length depends on the count, whose digits are at most those of the total.
  const budget = Math.max(0, limitBytes - Buffer.byteLength(marker(bytes.length)));
  if (keep === 'head') {
    const head = headBytes(bytes, budget);
    return `${head}${marker(bytes.length - Buffer.byteLength(head))}`;
  }
  const tail = tailBytes(bytes, budget);
  return `[truncated ${bytes.length - Buffer.byteLength(tail)} bytes]…${tail}`;
}
