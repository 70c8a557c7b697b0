import { formatDuration } from '../config/duration.js';
import type { Logger } from './logger.js';

/**
 * One warning per backoff step for a problem many retry loops meet together: with the apiserver
 * down every informer fails at once, and a line from each on every retry would bury the cause.
 * A problem is logged when its attempt number is higher than any logged for it so far.
 */
export class StepLog {
  private readonly attempts = new Map<string, number>();

  constructor(private readonly log: Logger) {}

  failed(problem: string, attempt: number, retryInMs: number, fields: Record<string, unknown> = {}): void {
    if (attempt <= (this.attempts.get(problem) ?? 0)) return;
    this.attempts.set(problem, attempt);
    this.log.warn(
      { ...fields, attempt, retryInMs },
      `${problem}; retry ${attempt} in ${formatDuration(Math.max(1, Math.round(retryInMs)))}`,
    );
  }

  /** The problem is gone (a request succeeded): log it once and count its steps afresh. */
  recovered(problem: string): void {
    if (!this.attempts.delete(problem)) return;
    this.log.info(`Resolved: ${problem}`);
  }
}
