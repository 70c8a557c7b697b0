/** One API request as the admin path reports it (never bodies or credentials). */
export interface LoggedRequest {
  readonly at: string;
  readonly method: string;
  readonly path: string;
  /** The route pattern (`GET /servers/:id`), or the raw path when no route matched. */
  readonly endpoint: string;
  readonly status: number;
  /** The server the request addressed, when its path names one. */
  readonly server?: string;
  readonly durationMs: number;
}

export interface RequestCounters {
  readonly total: number;
  readonly byEndpoint: Readonly<Record<string, number>>;
  readonly byServer: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
}

/**
 * The request log and counters of one simulator. The performance work counts API calls per
 * provisioned machine from `byServer`; the log keeps the most recent `capacity` entries.
 */
export class RequestLog {
  private readonly entries: LoggedRequest[] = [];
  private total = 0;
  private readonly byEndpoint = new Map<string, number>();
  private readonly byServer = new Map<string, number>();
  private readonly byStatus = new Map<string, number>();

  constructor(private readonly capacity = 10_000) {}

  record(entry: LoggedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > this.capacity) this.entries.shift();
    this.total += 1;
    increment(this.byEndpoint, entry.endpoint);
    increment(this.byStatus, String(entry.status));
    if (entry.server !== undefined) increment(this.byServer, entry.server);
  }

  recent(limit = 1_000): readonly LoggedRequest[] {
    return this.entries.slice(-limit);
  }

  counters(): RequestCounters {
    return {
      total: this.total,
      byEndpoint: Object.fromEntries(this.byEndpoint),
      byServer: Object.fromEntries(this.byServer),
      byStatus: Object.fromEntries(this.byStatus),
    };
  }

  reset(): void {
    this.entries.length = 0;
    this.total = 0;
    this.byEndpoint.clear();
    this.byServer.clear();
    this.byStatus.clear();
  }
}

function increment(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
