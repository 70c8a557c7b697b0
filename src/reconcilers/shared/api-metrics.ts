import { Counter, type Registry } from 'prom-client';

/** What sets one API's counters apart: the name part and the help texts that say which API. */
export interface ApiMetricNames {
  /** `imageurl_<api>_requests_total`, `imageurl_<api>_rate_limit_wait…` (e.g. "hcloud", "robot"). */
  readonly api: string;
  readonly requestsHelp: string;
  readonly waitsHelp: string;
}

/**
 * An HTTP API client's traffic in Prometheus: requests by endpoint template, method and status,
 * and the waits for the request budget or after a rate-limit answer. Shared by the Hetzner Cloud
 * and Robot observers, whose counters only differ in name and help; the subclasses adapt their
 * client's observer interface. One instance serves the clients of every credential, so no token
 * or user goes into any label.
 */
export class ApiMetrics {
  private readonly requests: Counter;
  private readonly waits: Counter;
  private readonly waitSeconds: Counter;

  constructor(registry: Registry, names: ApiMetricNames) {
    const registers = [registry];
    this.requests = new Counter({
      name: `imageurl_${names.api}_requests_total`,
      help: names.requestsHelp,
      labelNames: ['endpoint', 'method', 'status'],
      registers,
    });
    this.waits = new Counter({
      name: `imageurl_${names.api}_rate_limit_waits_total`,
      help: names.waitsHelp,
      labelNames: ['cause'],
      registers,
    });
    this.waitSeconds = new Counter({
      name: `imageurl_${names.api}_rate_limit_wait_seconds_total`,
      help: 'Seconds spent in those pauses.',
      labelNames: ['cause'],
      registers,
    });
  }

  /** One HTTP exchange; status 0 (no answer came) is counted as "none". */
  protected countRequest(endpoint: string, method: string, status: number): void {
    this.requests.inc({ endpoint, method, status: status === 0 ? 'none' : String(status) });
  }

  /** One pause before a request; a negative length (clock skew) counts as none. */
  protected countWait(cause: string, seconds: number): void {
    this.waits.inc({ cause });
    this.waitSeconds.inc({ cause }, Math.max(0, seconds));
  }
}
