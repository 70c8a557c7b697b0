import { Counter, type Registry } from 'prom-client';
import type {
  CloudApiObserver,
  ObservedCloudRequest,
  ObservedCloudWait,
} from '../../ports/cloud-api-observer.js';

/**
 * The Hetzner Cloud client's traffic in Prometheus, as a CloudApiObserver: requests by endpoint
 * template, method and status, and the waits for the request budget or after a 429. One instance
 * serves the clients of every token (no token in any label).
 */
export class HcloudApiMetrics implements CloudApiObserver {
  private readonly requests: Counter;
  private readonly waits: Counter;
  private readonly waitSeconds: Counter;

  constructor(registry: Registry) {
    const registers = [registry];
    this.requests = new Counter({
      name: 'imageurl_hcloud_requests_total',
      help: 'HTTP exchanges with the Hetzner Cloud API (each retry counts); status "none": no answer came.',
      labelNames: ['endpoint', 'method', 'status'],
      registers,
    });
    this.waits = new Counter({
      name: 'imageurl_hcloud_rate_limit_waits_total',
      help: 'Pauses before a Hetzner Cloud request: cause "budget" (request budget spent) or "rate_limited" (after a 429).',
      labelNames: ['cause'],
      registers,
    });
    this.waitSeconds = new Counter({
      name: 'imageurl_hcloud_rate_limit_wait_seconds_total',
      help: 'Seconds spent in those pauses.',
      labelNames: ['cause'],
      registers,
    });
  }

  requested(request: ObservedCloudRequest): void {
    const status = request.status === 0 ? 'none' : String(request.status);
    this.requests.inc({ endpoint: request.endpoint, method: request.method, status });
  }

  waited(wait: ObservedCloudWait): void {
    this.waits.inc({ cause: wait.cause });
    this.waitSeconds.inc({ cause: wait.cause }, Math.max(0, wait.ms) / 1000);
  }
}
