/** Yields to the event loop a few times, so promise chains and I/O callbacks run. */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when the test says so, with `sleep`s that end when it reaches them:
 * waiting logic runs through hours of budget refill without a real wait.
 */
export class ManualTime {
  private timers: { at: number; resolve: () => void }[] = [];

  constructor(private t: number) {}

  readonly now = (): number => this.t;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => this.timers.push({ at: this.t + Math.max(0, ms), resolve }));

  /** When the earliest sleep ends, if any sleeps. */
  nextTimerAt(): number | undefined {
    return this.timers.reduce<number | undefined>(
      (min, { at }) => (min === undefined || at < min ? at : min),
      undefined,
    );
  }

  /** Moves to the earliest sleep's end (or by `maxMs` when nothing sleeps) and lets it continue. */
  async step(isIdle: () => boolean = () => true): Promise<void> {
    const at = this.nextTimerAt();
    if (at === undefined) return;
    this.t = Math.max(this.t, at);
    const due = this.timers.filter((timer) => timer.at <= this.t);
    this.timers = this.timers.filter((timer) => timer.at > this.t);
    for (const timer of due) timer.resolve();
    await settle();
    while (!isIdle()) await settle(1);
  }

  /** Moves the clock by `ms`, ending every sleep on the way in order. */
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (let at = this.nextTimerAt(); at !== undefined && at <= end; at = this.nextTimerAt()) {
      await this.step();
    }
    this.t = end;
    await settle();
  }
}
