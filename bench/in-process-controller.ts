/** A controller running in the test process, stopped by `stop()`. */
export interface InProcessController {
  /**
   * Ends the controller and waits for it; rejects when it had ended on its own, with what
   * ended it: a controller that crashes while a test runs fails that test file, never silently.
   */
  stop(): Promise<void>;
}

export function startInProcessController(run: (signal: AbortSignal) => Promise<void>): InProcessController {
  const stopper = new AbortController();
  let failure: { readonly error: unknown } | undefined;
  const running = run(stopper.signal).then(
    () => {
      if (!stopper.signal.aborted) failure = { error: new Error('it returned before it was stopped') };
    },
    (error: unknown) => {
      failure = { error };
    },
  );
  return {
    async stop(): Promise<void> {
      stopper.abort();
      await running;
      if (failure === undefined) return;
      const reason = failure.error instanceof Error ? failure.error.message : String(failure.error);
      throw new Error(`the in-process controller ended on its own: ${reason}`, { cause: failure.error });
    },
  };
}
