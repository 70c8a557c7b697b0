import type { Registry } from 'prom-client';
import type { Logger } from '../ops/logger.js';
import { OpsServer, type Check } from '../ops/ops-server.js';
import { BindError } from './errors.js';

const HEALTH_FLAG = '--health-probe-bind-address';

export interface OpsEndpointsOptions {
  /** Kinds whose informer has not synced yet. */
  readonly synced: () => readonly string[];
  readonly leading: () => boolean;
  readonly registry: Registry;
  readonly log: Logger;
}

function enabled(address: string | undefined): address is string {
  return address !== undefined && address !== '' && address !== '0';
}

/**
 * The manager's probes and metrics: one server per distinct address (health and metrics may
 * share one). Readiness fails before the caches synced, while not leading, and once shutdown began.
 */
export class OpsEndpoints {
  private readonly servers: OpsServer[] = [];
  private stopping = false;
  private bound: string[] = [];

  constructor(private readonly options: OpsEndpointsOptions) {}

  get addresses(): readonly string[] {
    return this.bound;
  }

  shuttingDown(): void {
    this.stopping = true;
  }

  async listen(health: string | undefined, metrics: string | undefined): Promise<void> {
    const ping: Check = () => true;
    const healthChecks = { ping };
    const readyChecks: Record<string, Check> = {
      ping,
      'informers-synced': () => {
        const missing = this.options.synced();
        return missing.length === 0 || `waiting for ${missing.join(', ')}`;
      },
      leader: () => this.options.leading() || 'not the leader',
      'shutting-down': () => !this.stopping || 'shutting down',
    };
    const both = enabled(health) && health === metrics;
    const plan: [string | undefined, boolean, boolean, string][] = both
      ? [[health, true, true, HEALTH_FLAG]]
      : [
          [health, true, false, HEALTH_FLAG],
          [metrics, false, true, '--metrics-bind-address'],
        ];
    for (const [address, probes, withMetrics, flag] of plan) {
      if (!enabled(address)) continue;
      const server = new OpsServer({
        healthChecks: probes ? healthChecks : {},
        readyChecks: probes ? readyChecks : {},
        ...(withMetrics ? { registry: this.options.registry } : {}),
      });
      const info = await server.listen(address).catch((error: unknown) => {
        throw new BindError(flag, address, error);
      });
      this.servers.push(server);
      this.bound.push(`${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`);
      this.options.log.info(
        { address: this.bound.at(-1), probes, metrics: withMetrics },
        'Serving ops endpoints',
      );
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.splice(0).map(async (server) => server.close()));
    this.bound = [];
  }
}
