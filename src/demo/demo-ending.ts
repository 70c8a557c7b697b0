import type { BootProgress } from './boot-progress.js';
import type { DemoIo, DemoOptions } from './run-demo.js';
import { DemoStoppedError, untilAborted } from './demo-signal.js';

/**
 * The demo's end: with `--no-exit` everything keeps running for a look around until Ctrl-C.
 * `problem` says why the demo failed (a machine that cannot go on ends it at once).
 */
export async function ended(options: DemoOptions, io: DemoIo, problem: string | undefined): Promise<number> {
  io.print('');
  if (problem !== undefined) io.print(`Demo failed: ${problem}`);
  if (!options.exitWhenDone) {
    io.print('Still running for a look around (see above). Press Ctrl-C to stop everything.');
    await untilAborted(io.signal, new Promise<never>(() => undefined)).catch((error: unknown) => {
      if (!(error instanceof DemoStoppedError)) throw error;
    });
  }
  return problem === undefined ? 0 : 1;
}

/**
 * True when `count` machines reached a final state, false at the deadline or once `signal`
 * aborts (the demo ended otherwise; the deadline's timer must not keep the process alive).
 */
export async function waitForOutcomes(
  progress: BootProgress,
  count: number,
  until: { readonly deadlineMs: number; readonly signal: AbortSignal },
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), until.deadlineMs);
    until.signal.addEventListener('abort', () => resolve(false), { once: true });
  });
  try {
    return await Promise.race([progress.whenFinished(count).then(() => true), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
