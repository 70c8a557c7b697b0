import type { EventSink, MachineEvent } from '../../ports/event-sink.js';

/** The transition the engine reports once per state change. */
interface StateMove {
  readonly from: string;
  readonly to: string;
  readonly durationMs: number;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/**
 * What a run shows while it works: one line per state change and per event (the command's
 * output tail comes in its event, already redacted), and on a terminal one live line with the
 * current step's note. Without a terminal only the permanent lines are written.
 */
export class ProgressLines {
  private live = '';
  private lastWarning: MachineEvent | undefined;
  private lastEvent = '';

  constructor(private readonly out: NodeJS.WritableStream & { readonly isTTY?: boolean }) {}

  line(text: string): void {
    this.clearLive();
    this.out.write(`${text}\n`);
  }

  transition(move: StateMove): void {
    this.line(`  ${move.to || '(unset)'}  (${move.from || '(unset)'} took ${seconds(move.durationMs)})`);
  }

  /** The step's note, on a terminal only, rewritten in place. */
  note(text: string | undefined): void {
    if (this.out.isTTY !== true || text === undefined) return;
    const shown = `  … ${text.split('\n', 1)[0] ?? ''}`.slice(0, 160);
    if (shown === this.live) return;
    this.out.write(`\r\x1b[K${shown}`);
    this.live = shown;
  }

  /** The EventSink the engine reports to. */
  events(): EventSink {
    return {
      emit: (event) => {
        if (event.type === 'Warning') this.lastWarning = event;
        // A state that fails the same way on every look is told once.
        const key = `${event.type} ${event.reason} ${event.message}`;
        if (key === this.lastEvent) return;
        this.lastEvent = key;
        const [first = '', ...rest] = event.message.split('\n');
        this.line(`  ${event.type} ${event.reason}: ${first}`);
        for (const more of rest) this.line(`      ${more}`);
      },
    };
  }

  /** The last Warning event, for the closing line of a failed run. */
  get warning(): MachineEvent | undefined {
    return this.lastWarning;
  }

  private clearLive(): void {
    if (this.live === '') return;
    this.out.write('\r\x1b[K');
    this.live = '';
  }
}
