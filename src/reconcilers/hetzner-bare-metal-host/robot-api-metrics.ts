import { Counter, type Registry } from 'prom-client';
import type { RobotApiObserver, RobotWaitCause } from '../../hetzner/robot/index.js';

/**
 * The Robot client's traffic in Prometheus, as its observer: requests by endpoint template,
 * method and status, and the waits for the per-account hourly limits. One instance serves the
 * clients of every account (no user in any label).
 */
export class RobotApiMetrics implements RobotApiObserver {
  private readonly requests: Counter;
  private readonly waits: Counter;
  private readonly waitSeconds: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'imageurl_robot_requests_total',
      help: 'HTTP exchanges with the Hetzner Robot API (each retry counts); status "none": no answer came.',
      labelNames: ['endpoint', 'method', 'status'],
      registers,
    });
    this.waits = new Counter({
      name: 'imageurl_robot_rate_limit_waits_total',
      help: 'Pauses before a Robot request: cause "budget" (hourly limit used up) or "rate_limited" (after a 403 RATE_LIMIT_EXCEEDED).',
      labelNames: ['cause'],
      registers,
    });
    this.waitSeconds = new Counter({
      name: 'imageurl_robot_rate_limit_wait_seconds_total',
      help: 'Seconds spent in those pauses.',
      labelNames: ['cause'],
      registers,
    });
  }

  onRequest(endpoint: string, method: string, status: number): void {
    this.requests.inc({ endpoint, method, status: status === 0 ? 'none' : String(status) });
  }

  onRateLimitWait(seconds: number, _endpoint: string, cause: RobotWaitCause): void {
    this.waits.inc({ cause });
    this.waitSeconds.inc({ cause }, Math.max(0, seconds));
  }
}
