import type { Registry } from 'prom-client';
import type {
  CloudApiObserver,
  ObservedCloudRequest,
  ObservedCloudWait,
} from '../../ports/cloud-api-observer.js';
import { ApiMetrics } from '../shared/api-metrics.js';

/** The Hetzner Cloud client's traffic in Prometheus (imageurl_hcloud_*), as a CloudApiObserver. */
export class HcloudApiMetrics extends ApiMetrics implements CloudApiObserver {
  constructor(registry: Registry) {
    super(registry, {
      api: 'hcloud',
      requestsHelp:
        'HTTP exchanges with the Hetzner Cloud API (each retry counts); status "none": no answer came.',
      waitsHelp:
        'Pauses before a Hetzner Cloud request: cause "budget" (request budget spent) or "rate_limited" (after a 429).',
    });
  }

  requested(request: ObservedCloudRequest): void {
    this.countRequest(request.endpoint, request.method, request.status);
  }

  waited(wait: ObservedCloudWait): void {
    this.countWait(wait.cause, wait.ms / 1000);
  }
}
