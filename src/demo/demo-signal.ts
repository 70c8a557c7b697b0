/** Ctrl-C (or SIGTERM) arrived while the demo was waiting for something. */
export class DemoStoppedError extends Error {
  readonly code = 'DEMO_STOPPED';
  constructor() {
    super('the demo was stopped');
  }
}

/** `work`'s result, or DemoStoppedError as soon as `signal` aborts. */
export function untilAborted<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(new DemoStoppedError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new DemoStoppedError());
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
