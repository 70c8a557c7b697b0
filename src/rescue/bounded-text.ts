/**
 * Collects a remote command's output up to a limit, dropping the rest (our fixed commands print
 * little). Once it had to cut, the last, partial line is dropped too: the text is redacted only
 * later, and a secret cut in half would no longer be recognised, leaving its first part behind.
 */
export class BoundedText {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private cut = false;

  constructor(private readonly limit: number) {}

  add(chunk: Buffer): void {
    const room = this.limit - this.size;
    if (chunk.length > room) this.cut = true;
    if (room <= 0) return;
    const kept = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(kept);
    this.size += kept.length;
  }

  text(): string {
    const text = Buffer.concat(this.chunks).toString('utf8');
    if (!this.cut) return text;
    return `${text.slice(0, text.lastIndexOf('\n') + 1)}[output cut after ${this.limit} bytes]\n`;
  }
}
