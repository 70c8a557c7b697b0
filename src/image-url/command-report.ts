import type { CommandLogTail } from '../ports/rescue-system.js';

/** How the image-url-command ended, for the command's event (Normal on success, Warning otherwise). */
export interface CommandReport {
  readonly outcome: 'succeeded' | 'failed' | 'timed-out';
  /** One line: what happened (the output follows it in the event). */
  readonly summary: string;
  /** The combined stdout+stderr tail, already redacted by the rescue port. */
  readonly log?: CommandLogTail;
  /** Why there is no output (e.g. the rescue system did not answer at the timeout). */
  readonly unavailable?: string;
}
