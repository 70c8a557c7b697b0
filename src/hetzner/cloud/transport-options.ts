import type { CloudApiObserver } from '../../ports/cloud-api-observer.js';
import type { HttpTransportOptions } from '../transport-options.js';

/** One finished HTTP exchange, for metrics (calls by endpoint and status). */
export interface HcloudCallRecord {
  /** The port operation, e.g. `createServer`. */
  readonly operation: string;
  /** Method and path pattern, e.g. `POST /servers/{id}/actions/poweron`. */
  readonly endpoint: string;
  /** HTTP status, or 0 when no answer came. */
  readonly status: number;
  readonly durationMs: number;
  /** 0 for the first attempt. */
  readonly retry: number;
}

export interface HcloudTransportOptions extends HttpTransportOptions {
  /** The project's API token; sent as `Authorization: Bearer …`, never logged nor put in errors. */
  readonly token: string;
  /** Default `https://api.hetzner.cloud/v1`. */
  readonly endpoint?: string;
  /** Requests per hour before the API reports its own limit; default 3600. */
  readonly limitPerHour?: number;
  /** Requests kept for urgent ones: looks wait while no more are left; default 10. */
  readonly keptForUrgent?: number;
  /** Called after every attempt. */
  readonly onCall?: (record: HcloudCallRecord) => void;
  /** Called after a request waited for the budget, with the wait. */
  readonly onBudgetWait?: (ms: number) => void;
  /** Told every exchange and every rate-limit wait (metrics); shared by the clients of all tokens. */
  readonly observer?: CloudApiObserver;
}

export const defaultEndpoint = 'https://api.hetzner.cloud/v1';
