const second = 1000;
const minute = 60 * second;

/** What every machine's rescue protocol and error handling use, the same for hcloud and bare metal. */
export const sharedDefaults = {
  backoff: { baseMs: 1 * second, capMs: 1 * minute },
  rescuePort: 22,
  /** CAPH: 5 s. */
  rescueConnectDeadlineMs: 5 * second,
  stopGraceMs: 2 * second,
  /** events.k8s.io: 1 KiB per note. */
  eventMessageLimitBytes: 1024,
} as const;
