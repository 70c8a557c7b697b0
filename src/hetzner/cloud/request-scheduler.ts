import type { RateLimitHeaders } from './rate-limit-headers.js';
import { RequestBudget, type RequestBudgetState } from './request-budget.js';

export interface RequestSchedulerOptions {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Requests per hour until the API says otherwise; default 3600. */
  readonly limitPerHour?: number;
  /**
   * Requests kept for urgent ones (creates, deletes, power actions): looks wait while no more than
   * this many are left. Default 10 (5 % of smaller limits): ten seconds of refill at 3600/h, so
   * looks resume soon after the bucket ran dry.
   */
  readonly keptForUrgent?: number;
}

/** The scheduler's state, for metrics and tests. */
export interface RequestSchedulerState extends RequestBudgetState {
  /** Looks waiting now, and how many keys (machines) they belong to. */
  readonly looksWaiting: number;
  readonly keysWaiting: number;
  /** Looks that had to wait for the budget since start. */
  readonly looksHeld: number;
}

/**
 * Decides when each request of one token may go, so that normal operation never meets a 429.
 * Urgent requests (anything that changes the world) go as soon as the bucket has a request for
 * them. Looks (status checks, which can be repeated later at no harm) go at once while the budget
 * is comfortable; when it runs low they wait, and are let out one at a time as the bucket refills,
 * round robin over their keys (one per machine), so a machine that asks in a hot loop gets no more
 * than one look per round while the others wait.
 */
export class RequestScheduler {
  private readonly budget: RequestBudget;
  private readonly waiting = new Map<string, (() => void)[]>();
  /** Keys with looks waiting, in the order they are served next. */
  private readonly turn: string[] = [];
  private pumping = false;
  private inFlight = 0;
  private looksHeld = 0;

  constructor(private readonly options: RequestSchedulerOptions) {
    const limitPerHour = options.limitPerHour ?? 3600;
    this.budget = new RequestBudget(options.now(), { limitPerHour });
  }

  private get kept(): number {
    const limit = this.budget.state(this.options.now()).limitPerHour;
    const kept = this.options.keptForUrgent ?? Math.min(10, Math.floor(limit * 0.05));
    return Math.min(Math.max(0, kept), limit - 1);
  }

  /**
   * Resolves when the request may be sent, with how long it waited. `lookKey`: the request is a
   * look on behalf of this key; without it, it is urgent.
   */
  async acquire(lookKey?: string): Promise<number> {
    const started = this.options.now();
    if (lookKey === undefined) {
      const wait = this.budget.reserve(started);
      if (wait > 0) await this.options.sleep(wait);
    } else {
      await this.queueLook(lookKey);
    }
    this.inFlight += 1;
    return this.options.now() - started;
  }

  /** Takes in the answer of an acquired request (status 0 and no headers: no answer came). */
  answered(headers: RateLimitHeaders | undefined, status: number): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    this.budget.observe(this.options.now(), headers, status, this.inFlight);
  }

  state(): RequestSchedulerState {
    let looksWaiting = 0;
    for (const list of this.waiting.values()) looksWaiting += list.length;
    return {
      ...this.budget.state(this.options.now()),
      looksWaiting,
      keysWaiting: this.turn.length,
      looksHeld: this.looksHeld,
    };
  }

  private queueLook(key: string): Promise<void> {
    const now = this.options.now();
    if (this.turn.length === 0 && this.budget.available(now) >= this.kept + 1) {
      this.budget.take(now);
      return Promise.resolve();
    }
    this.looksHeld += 1;
    return new Promise((resolve) => {
      const list = this.waiting.get(key);
      if (list === undefined) {
        this.waiting.set(key, [resolve]);
        this.turn.push(key);
      } else {
        list.push(resolve);
      }
      void this.pump();
    });
  }

  /** Lets waiting looks out, one per refilled request, round robin over keys. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let key = this.turn[0]; key !== undefined; key = this.turn[0]) {
        const wait = this.budget.msUntil(this.options.now(), this.kept + 1);
        if (wait > 0) {
          await this.options.sleep(wait);
          continue;
        }
        this.budget.take(this.options.now());
        this.turn.shift();
        const list = this.waiting.get(key) ?? [];
        const release = list.shift();
        if (list.length > 0) this.turn.push(key);
        else this.waiting.delete(key);
        release?.();
      }
    } finally {
      this.pumping = false;
    }
  }
}
