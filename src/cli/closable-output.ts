/** Lines on a stream whose reader may go away early, and the signal that says it went. */
export interface ClosableOutput {
  readonly print: (line: string) => void;
  /** Aborts once the reader has gone (EPIPE): there is nobody left to show anything to. */
  readonly closed: AbortSignal;
  readonly dispose: () => void;
}

/**
 * `imageurl demo | head -2`: once `head` has its lines, a write fails with EPIPE. Unhandled,
 * that error kills the process with a stack trace and leaves everything it started running;
 * here it stops the output quietly and aborts `closed`, so the command cleans up and exits.
 */
export function closableOutput(stream: NodeJS.WritableStream): ClosableOutput {
  const controller = new AbortController();
  const onError = (error: NodeJS.ErrnoException): void => {
    // Any write error means the lines no longer reach anyone; EPIPE is the usual one.
    controller.abort(error);
  };
  stream.on('error', onError);
  return {
    print: (line) => {
      if (!controller.signal.aborted) stream.write(`${line}\n`);
    },
    closed: controller.signal,
    dispose: () => {
      // A write still in flight may fail after we are done: keep it quiet.
      stream.off('error', onError);
      stream.on('error', () => undefined);
    },
  };
}
