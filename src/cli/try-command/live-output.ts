import type { CommandLogTail } from '../../ports/rescue-system.js';

/**
 * Shows the command's output as it grows, from the bounded, redacted log tails the rescue port
 * returns on each observation: the log only grows, so what is new is the end of the latest
 * tail past what the previous one ended with. When more was written between two looks than a
 * tail holds, a note says how much was skipped.
 */
export class LiveOutput {
  private shownBytes = 0;
  private previousTail = Buffer.alloc(0);

  constructor(private readonly write: (text: string) => void) {}

  update(log: CommandLogTail): void {
    const grown = log.sizeBytes - this.shownBytes;
    if (grown <= 0) return;
    const tail = Buffer.from(log.tail, 'utf8');
    const kept = tail.length - grown;
    if (kept < 0) {
      this.write(`[… ${String(-kept)} bytes of output not shown …]\n`);
      this.write(log.tail);
    } else if (this.continues(tail.subarray(0, kept))) {
      this.write(tail.subarray(kept).toString('utf8'));
    } else {
      // Redaction changed lengths: show the new end from the first byte that differs.
      this.write(tail.subarray(commonPrefix(this.previousTail, tail, kept)).toString('utf8'));
    }
    this.shownBytes = log.sizeBytes;
    this.previousTail = tail;
  }

  private continues(start: Buffer): boolean {
    return this.previousTail.subarray(this.previousTail.length - start.length).equals(start);
  }
}

function commonPrefix(previous: Buffer, tail: Buffer, near: number): number {
  const offset = Math.max(0, previous.length - near);
  let index = 0;
  while (index < tail.length && previous[offset + index] === tail[index]) index++;
  return index;
}
