import type { Registry } from 'prom-client';
import type { RobotApiObserver, RobotWaitCause } from '../../ports/robot-api-observer.js';
import { ApiMetrics } from '../shared/api-metrics.js';

/**
 * The Robot client's traffic in Prometheus (imageurl_robot_*), as its observer; the waits are
 * for the per-account hourly limits.
 */
export class RobotApiMetrics extends ApiMetrics implements RobotApiObserver {
  constructor(registry: Registry) {
    super(registry, {
      api: 'robot',
      requestsHelp:
        'HTTP exchanges with the Hetzner Robot API (each retry counts); status "none": no answer came.',
      waitsHelp:
        'Pauses before a Robot request: cause "budget" (hourly limit used up) or "rate_limited" (after a 403 RATE_LIMIT_EXCEEDED).',
    });
  }

  onRequest(endpoint: string, method: string, status: number): void {
    this.countRequest(endpoint, method, status);
  }

  onRateLimitWait(seconds: number, _endpoint: string, cause: RobotWaitCause): void {
    this.countWait(cause, seconds);
  }
}
