/** Time as the provisioning core sees it; injected so timeouts and durations are testable. */
export interface Clock {
  now(): Date;
}

/** The wall clock. A factory rather than a shared instance: every composition root makes its own. */
export function systemClock(): Clock {
  return { now: () => new Date() };
}
