import { RobotErrorResponse } from './robot-error-response.js';

/** Requests per hour per endpoint group (Robot docs, "Request limit"). */
export const robotLimits = {
  server: 200,
  'reset-read': 500,
  'reset-write': 50,
  boot: 500,
  'key-read': 500,
  'key-write': 200,
} as const;

export type LimitGroup = keyof typeof robotLimits;

/**
 * Robot's per-endpoint hourly limits, counted over a sliding hour per account. Over the limit
 * the answer is 403 `RATE_LIMIT_EXCEEDED` with `max_request` (documented) and `max_requests`
 * (what the service really sends, hrobot-rs errata) and `interval`.
 */
export class RobotLimits {
  private readonly seen = new Map<LimitGroup, number[]>();

  constructor(
    private readonly scale: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(group: LimitGroup): void {
    const limit = Math.max(1, Math.floor(robotLimits[group] * this.scale));
    const since = this.now() - 3_600_000;
    const times = (this.seen.get(group) ?? []).filter((time) => time > since);
    if (times.length >= limit) {
      this.seen.set(group, times);
      throw new RobotErrorResponse(403, 'RATE_LIMIT_EXCEEDED', 'rate limit exceeded', {
        max_request: limit,
        max_requests: limit,
        interval: 3600,
      });
    }
    times.push(this.now());
    this.seen.set(group, times);
  }
}
