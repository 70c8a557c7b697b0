export type TimeoutCheck<T> =
  | { readonly expired: false; readonly msLeft?: number }
  | { readonly expired: true; readonly timeout: T; readonly message: string };

interface Worded {
  readonly text: string;
  readonly format?: (elapsed: string) => string;
}

/**
 * The one timeout rule of every state of every machine: `now - since` against the limit.
 * `since` is the state's start, or the instant the table's clock names.
 */
export function checkTimeout<T extends Worded>(
  timeout: T | undefined,
  limitMs: number | undefined,
  since: Date,
  now: Date,
): TimeoutCheck<T> {
  if (timeout === undefined || limitMs === undefined) return { expired: false };
  const elapsedMs = now.getTime() - since.getTime();
  if (elapsedMs <= limitMs) return { expired: false, msLeft: limitMs - elapsedMs };
  const elapsed = goDuration(elapsedMs);
  const message = timeout.format?.(elapsed) ?? `${timeout.text}, in this state since ${elapsed}`;
  return { expired: true, timeout, message };
}

/** Go's Duration.String() of a duration rounded to whole seconds (`7m0s`, `1h2m3s`, `45s`), as CAPH prints it. */
export function goDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}
