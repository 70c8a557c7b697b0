import type { ProgressLines } from './progress-lines.js';
import type { ProvisionRequest } from './provision-request.js';
import type { StateFile, ProvisionState } from './state-file.js';
import type { LoopEnd } from './step-loop.js';

/** What a provision or delete run of either kind works with; the lock is held. */
export interface RunContext<S> {
  readonly request: ProvisionRequest;
  readonly state: StateFile<S>;
  /** What an earlier run saved, if any. */
  readonly stored: ProvisionState<S> | undefined;
  readonly env: NodeJS.ProcessEnv;
  readonly progress: ProgressLines;
  /** Aborted by SIGINT or SIGTERM: stop at the next safe point. */
  readonly signal: AbortSignal;
}

/** The first line of a run, once its credentials were accepted. */
export function announce(ctx: RunContext<unknown>, what: string): void {
  const verb = ctx.stored?.status === undefined ? 'provisioning' : 'continuing';
  ctx.progress.line(`${verb} ${what} (state: ${ctx.state.path})`);
}

/** Exit code of a run that was stopped by a signal (128 + SIGINT), as a shell reports Ctrl-C. */
export const STOPPED_EXIT_CODE = 130;

/** The closing line of a provision run and its exit code. */
export function closing(
  name: string,
  end: LoopEnd,
  at: { readonly state: string; readonly details: string },
  progress: ProgressLines,
): number {
  const { state, details } = at;
  if (end === 'done') {
    progress.line(`${name}: ${state}${details === '' ? '' : ` — ${details}`}`);
    return 0;
  }
  if (end === 'stopped') {
    progress.line(
      `${name}: stopped in ${state || 'the unset state'}; run the same command again to continue`,
    );
    return STOPPED_EXIT_CODE;
  }
  const why = progress.warning?.message.split('\n', 1)[0] ?? 'see the events above';
  progress.line(`${name}: ${state} — ${why}`);
  progress.line(`  (imageurl provision delete ${name} removes what was created)`);
  return 1;
}
