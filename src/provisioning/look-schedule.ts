/**
 * When to look at a running Hetzner action again, from what is known instead of a fixed poll:
 * its start, its `progress` at the last look, and how long such actions took before.
 */

/** How long one kind of action took in this process lately (absent: nothing finished yet). */
export interface ExpectedDuration {
  readonly minMs: number;
  readonly maxMs: number;
}

export interface LookInput {
  /** When the action started (the API's `started`, else when we asked for it). */
  readonly startedMs: number;
  readonly nowMs: number;
  /** `progress` at this look; undefined when the API gave none. */
  readonly progress: number | undefined;
  readonly expected: ExpectedDuration | undefined;
  /** Looks at this action that found it running, this one included. */
  readonly looks: number;
}

/** Never look again sooner than this (one look per reconcile, not a busy loop). */
export const MIN_GAP_MS = 100;
/** An end estimate narrower than this is looked at once, at its late edge. */
const PRECISE_MS = 1_000;
/** Near the expected end and without progress: short follow-ups. */
const FOLLOW_UP_MS = 500;
/** Long past every expectation: back off up to this. */
const BACKOFF_CAP_MS = 10_000;
/** A first look when nothing is known yet: soon, to learn the action's pace from its progress. */
const FIRST_LOOK_MS = 500;
/** Slack after an estimated end, for rounding in `progress` and clock skew. */
const SLACK_MS = 50;

/**
 * Milliseconds until the next look. With progress p% after e ms (the API's progress rises with
 * the share of the action done, rounded down), the end lies in (e·100/(p+1), e·100/p]: looked
 * at once at its late edge when that is narrow, else at its early edge to narrow it. Without
 * progress: at the earliest end seen before, then short follow-ups until the latest, then
 * backoff.
 */
export function nextLookMs(input: LookInput): number {
  return nextLook(input).afterMs;
}

/**
 * The next look, and whether the action's end is pinned by then: progress narrowed the end to
 * within PRECISE_MS and the look comes at its late edge, so the action has ended at that look
 * unless its progress lied.
 */
export function nextLook(input: LookInput): { readonly afterMs: number; readonly endPinned: boolean } {
  const elapsed = Math.max(0, input.nowMs - input.startedMs);
  const at = (offsetMs: number): number =>
    Math.max(MIN_GAP_MS, Math.round(input.startedMs + offsetMs - input.nowMs));
  const p = input.progress;
  if (p !== undefined && p >= 1 && p < 100 && elapsed > 0) {
    const earliest = (elapsed * 100) / (p + 1);
    const latest = (elapsed * 100) / p;
    return latest - earliest <= PRECISE_MS
      ? { afterMs: at(latest + SLACK_MS), endPinned: true }
      : { afterMs: at(Math.max(earliest, elapsed + MIN_GAP_MS)), endPinned: false };
  }
  return { afterMs: withoutProgress(input, elapsed, at), endPinned: false };
}

function withoutProgress(input: LookInput, elapsed: number, at: (offsetMs: number) => number): number {
  const expected = input.expected;
  if (expected === undefined) return at(Math.max(FIRST_LOOK_MS, elapsed + FOLLOW_UP_MS));
  if (elapsed < expected.minMs) return at(expected.minMs);
  if (elapsed < expected.maxMs) return FOLLOW_UP_MS;
  return Math.min(BACKOFF_CAP_MS, Math.round(FOLLOW_UP_MS * 1.5 ** Math.max(1, input.looks)));
}
