/**
 * The simulators' timers: every pending timer is tracked so stopping a simulator cancels them
 * all (nothing fires into a stopped simulator, and tests end without stray handles).
 */
export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  /** Runs `task` after `ms`; a task's rejection is passed to `onError` rather than lost. */
  after(ms: number, task: () => void | Promise<void>, onError: (error: unknown) => void): void {
    if (this.stopped) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        Promise.resolve().then(task).catch(onError);
      },
      Math.max(0, ms),
    );
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
