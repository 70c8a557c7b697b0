import type { BootState } from './boot-state.js';
import type { ProvisioningSettings } from './settings.js';
import { stateSpecOf, timeoutMsOf, type StateTimeout } from './states.js';

export type TimeoutCheck =
  | { readonly expired: false; readonly msLeft?: number }
  | { readonly expired: true; readonly timeout: StateTimeout; readonly message: string };

/** The one timeout rule of every state: `now - bootStateSince` against the state's limit. */
export function checkTimeout(
  state: BootState,
  since: Date,
  now: Date,
  settings: ProvisioningSettings,
): TimeoutCheck {
  const timeout = stateSpecOf(state).timeout;
  const limitMs = timeoutMsOf(state, settings.timeoutsMs);
  if (timeout === undefined || limitMs === undefined) return { expired: false };
  const elapsedMs = now.getTime() - since.getTime();
  if (elapsedMs <= limitMs) return { expired: false, msLeft: limitMs - elapsedMs };
  return { expired: true, timeout, message: `${timeout.text}, in this state since ${goDuration(elapsedMs)}` };
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
