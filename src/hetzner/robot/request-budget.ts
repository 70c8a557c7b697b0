import { robotHourlyLimits, type RobotEndpointGroup } from './robot-endpoints.js';

export interface RobotRequestBudgetOptions {
  /** Requests per hour per group, where they differ from the documented ones. */
  readonly limits?: Partial<Record<RobotEndpointGroup, number>>;
  /** Added to every computed wait, for clock skew and latency between us and Robot; default 1 s. */
  readonly marginMs?: number;
}

/** One group's budget, for metrics. */
export interface RobotGroupBudgetState {
  readonly limit: number;
  readonly intervalMs: number;
  /** Requests sent or booked within the current interval. */
  readonly used: number;
  /** Set while a 403 `RATE_LIMIT_EXCEEDED` holds the group back. */
  readonly blockedUntilMs?: number;
  /** Requests that had to wait, and how long all waits took. */
  readonly waits: number;
  readonly waitedMs: number;
  /** 403 `RATE_LIMIT_EXCEEDED` answers seen. */
  readonly rateLimited: number;
}

export type RobotReservation =
  /** Booked: send after `waitMs`. */
  | { readonly granted: true; readonly waitMs: number }
  /** Not booked: the next request is allowed only after `waitMs`, longer than the caller waits. */
  | { readonly granted: false; readonly waitMs: number };

interface Group {
  limit: number;
  intervalMs: number;
  /** Send times, sent or booked, ascending. */
  sends: number[];
  blockedUntil: number;
  waits: number;
  waitedMs: number;
  rateLimited: number;
}

/**
 * Robot's per-endpoint hourly limits (each endpoint's "Request limit" in the Robot docs), kept on
 * our side so the account never hits them: per group a log of send times over a sliding interval,
 * which stays within the limit whether Robot counts in sliding or fixed windows. Requests are
 * booked in order, so concurrent callers queue. A 403 `RATE_LIMIT_EXCEEDED` (someone else shares
 * the account, or the account's limits differ) adopts the limit the answer states and holds the
 * group back until a request can have left Robot's window. One instance per account, shareable by
 * every client of that account. Pure: time comes in as arguments.
 */
export class RobotRequestBudget {
  private readonly groups = new Map<RobotEndpointGroup, Group>();
  private readonly marginMs: number;

  constructor(private readonly options: RobotRequestBudgetOptions = {}) {
    this.marginMs = options.marginMs ?? 1000;
  }

  /** Books one request unless it would have to wait longer than `maxWaitMs`. */
  reserve(name: RobotEndpointGroup, now: number, maxWaitMs: number): RobotReservation {
    const group = this.group(name, now);
    const { sends, limit, intervalMs } = group;
    let at = Math.max(now, group.blockedUntil, sends.at(-1) ?? now);
    const leaving = sends[sends.length - limit];
    if (leaving !== undefined) at = Math.max(at, leaving + intervalMs + this.marginMs);
    const waitMs = at - now;
    if (waitMs > maxWaitMs) return { granted: false, waitMs };
    sends.push(at);
    if (waitMs > 0) {
      group.waits += 1;
      group.waitedMs += waitMs;
    }
    return { granted: true, waitMs };
  }

  /** Takes in a 403 `RATE_LIMIT_EXCEEDED`, with the limit it states if it states one. */
  observeRateLimited(
    name: RobotEndpointGroup,
    now: number,
    stated?: { readonly requests: number; readonly intervalMs: number },
  ): void {
    const group = this.group(name, now);
    group.rateLimited += 1;
    if (stated !== undefined) {
      group.limit = stated.requests;
      group.intervalMs = stated.intervalMs;
    }
    const sent = group.sends.filter((time) => time <= now);
    const leaving = sent[sent.length - group.limit];
    // Our own requests filled the window: free when the oldest counted one leaves it. Otherwise
    // someone else spent the budget: come back after one request's share of the interval.
    const free =
      leaving === undefined
        ? now + Math.max(1000, group.intervalMs / group.limit)
        : leaving + group.intervalMs + this.marginMs;
    group.blockedUntil = Math.max(group.blockedUntil, free);
  }

  state(now: number): Readonly<Record<RobotEndpointGroup, RobotGroupBudgetState>> {
    const names = Object.keys(robotHourlyLimits) as RobotEndpointGroup[];
    return Object.fromEntries(
      names.map((name) => {
        const group = this.group(name, now);
        const state: RobotGroupBudgetState = {
          limit: group.limit,
          intervalMs: group.intervalMs,
          used: group.sends.length,
          ...(group.blockedUntil > now ? { blockedUntilMs: group.blockedUntil } : {}),
          waits: group.waits,
          waitedMs: group.waitedMs,
          rateLimited: group.rateLimited,
        };
        return [name, state];
      }),
    ) as Record<RobotEndpointGroup, RobotGroupBudgetState>;
  }

  /** The group, its log cut to the current interval (and margin). */
  private group(name: RobotEndpointGroup, now: number): Group {
    let group = this.groups.get(name);
    if (group === undefined) {
      const limit = Math.max(1, Math.floor(this.options.limits?.[name] ?? robotHourlyLimits[name]));
      group = {
        limit,
        intervalMs: 3_600_000,
        sends: [],
        blockedUntil: 0,
        waits: 0,
        waitedMs: 0,
        rateLimited: 0,
      };
      this.groups.set(name, group);
    }
    const since = now - group.intervalMs - this.marginMs;
    const keepFrom = group.sends.findIndex((time) => time > since);
    group.sends = keepFrom < 0 ? [] : group.sends.slice(keepFrom);
    return group;
  }
}
