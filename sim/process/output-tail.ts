import { EventEmitter } from 'node:events';

/** The last `limit` bytes a process printed: enough for error messages, bounded in memory. */
export class OutputTail extends EventEmitter {
  private buffer = '';

  constructor(private readonly limit = 64 * 1024) {
    super();
  }

  append(chunk: Buffer | string): void {
    this.buffer += chunk.toString();
    if (this.buffer.length > this.limit) this.buffer = this.buffer.slice(-this.limit);
    this.emit('data');
  }

  text(): string {
    return this.buffer;
  }
}
