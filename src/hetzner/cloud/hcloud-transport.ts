import { readBoundedText } from '../../util/bounded-body.js';
import { CloudError } from '../../ports/cloud-errors.js';
import { errorEnvelopeSchema } from './wire-schemas.js';
import {
  classifyNetworkError,
  classifyResponse,
  fieldNamesOf,
  type ApiError,
} from './error-classification.js';
import { readRateLimitHeaders } from './rate-limit-headers.js';
import { RequestBudget, type RequestBudgetState } from './request-budget.js';
import { backoffMs, isRetried, maxRetries, type AttemptFailure } from './retry-policy.js';
import { baseHeaders, defaultSleep, defaultTimeoutMs } from '../transport-options.js';
import { defaultEndpoint, type HcloudTransportOptions } from './transport-options.js';
import { templatePath } from './endpoint-template.js';

export interface HcloudRequest {
  /** The port operation, named in errors, e.g. `powerOn`. */
  readonly operation: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the endpoint, with ids filled in, e.g. `/servers/42` (templated for metrics). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

type Attempt =
  | { readonly ok: true; readonly body: unknown }
  | { readonly ok: false; readonly error: CloudError; readonly failure: AttemptFailure };

/**
 * HTTP to the Cloud API for one token: Bearer auth, JSON, the request budget, errors classified
 * where they arrive, and hcloud-go's retries (never `locked`).
 */
export class HcloudTransport {
  private readonly endpoint: string;
  private readonly budget: RequestBudget;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: HcloudTransportOptions) {
    if (options.token === '') throw new CloudError('unauthorized', 'hcloud: no API token configured');
    this.endpoint = (options.endpoint ?? defaultEndpoint).replace(/\/+$/, '');
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.budget = new RequestBudget(this.now(), { limitPerHour: options.limitPerHour ?? 3600 });
  }

  budgetState(): RequestBudgetState {
    return this.budget.state(this.now());
  }

  /** Sends the request (retrying what hcloud-go retries); resolves with the parsed JSON body. */
  async request(request: HcloudRequest): Promise<unknown> {
    let rateLimited = false;
    for (let retry = 0; ; retry += 1) {
      const attempt = await this.attempt(request, retry, rateLimited);
      if (attempt.ok) return attempt.body;
      if (retry >= maxRetries || !isRetried(attempt.failure)) throw attempt.error;
      const backoff = backoffMs(retry, this.options.random ?? Math.random, {
        baseMs: this.options.backoffBaseMs ?? 1000,
      });
      // After a 429 the budget itself waits for the refill (RateLimit-*) before the next attempt.
      rateLimited = attempt.error.code === 'rate_limit_exceeded';
      if (rateLimited) this.options.observer?.waited({ cause: 'rate_limited', ms: backoff });
      await this.sleep(backoff);
    }
  }

  private async attempt(request: HcloudRequest, retry: number, afterRateLimit: boolean): Promise<Attempt> {
    const wait = this.budget.reserve(this.now());
    if (wait > 0) {
      this.options.onBudgetWait?.(wait);
      this.options.observer?.waited({ cause: afterRateLimit ? 'rate_limited' : 'budget', ms: wait });
      await this.sleep(wait);
    }
    const started = this.now();
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? defaultTimeoutMs);
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(this.url(request), this.init(request, timeout));
    } catch (error) {
      this.record(request, 0, started, retry);
      const timedOut = timeout.aborted;
      const cloudError = this.redact(classifyNetworkError(request.operation, error, timedOut));
      return { ok: false, error: cloudError, failure: { kind: 'network', timedOut } };
    }
    this.budget.observe(this.now(), readRateLimitHeaders(response.headers), response.status);
    this.record(request, response.status, started, retry);
    return this.read(request, response);
  }

  private async read(request: HcloudRequest, response: Response): Promise<Attempt> {
    const body = await readJson(response);
    if (response.ok) return { ok: true, body };
    const apiError = envelopeError(body);
    const error = classifyResponse({
      operation: request.operation,
      status: response.status,
      headers: response.headers,
      now: this.now(),
      ...(apiError === undefined ? {} : { apiError }),
    });
    const failure: AttemptFailure = {
      kind: 'response',
      status: response.status,
      ...(apiError === undefined ? {} : { apiCode: apiError.code }),
    };
    return { ok: false, error: this.redact(error), failure };
  }

  private url(request: HcloudRequest): string {
    const url = new URL(this.endpoint + request.path);
    for (const [key, value] of Object.entries(request.query ?? {})) url.searchParams.append(key, value);
    return url.toString();
  }

  private init(request: HcloudRequest, signal: AbortSignal): RequestInit {
    const headers = baseHeaders(`Bearer ${this.options.token}`, this.options.userAgent);
    if (request.body === undefined) return { method: request.method, headers, signal };
    headers['Content-Type'] = 'application/json';
    return { method: request.method, headers, body: JSON.stringify(request.body), signal };
  }

  private record(request: HcloudRequest, status: number, started: number, retry: number): void {
    const endpoint = templatePath(request.path);
    const durationMs = this.now() - started;
    this.options.onCall?.({
      operation: request.operation,
      endpoint: `${request.method} ${endpoint}`,
      status,
      durationMs,
      retry,
    });
    this.options.observer?.requested({ method: request.method, endpoint, status, durationMs });
  }

  /** Belt and braces: no error message ever carries the token, whatever the API echoed. */
  private redact(error: CloudError): CloudError {
    if (!error.message.includes(this.options.token)) return error;
    const message = error.message.split(this.options.token).join('[redacted]');
    return new CloudError(error.code, message, {
      apiCode: error.apiCode,
      ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }),
      ...(error.fields === undefined ? {} : { fields: error.fields }),
    });
  }
}

/** Far above any answer of the calls we make (a page of 50 servers is ~250 KiB). */
const maxBodyBytes = 8 * 1024 * 1024;

/**
 * The body as JSON when the answer says it is JSON (as hcloud-go: only `application/json`),
 * read up to maxBodyBytes: a larger body counts as no body (the status still classifies it).
 */
async function readJson(response: Response): Promise<unknown> {
  const text = await readBoundedText(response, maxBodyBytes).catch(() => '');
  if (!(response.headers.get('content-type') ?? '').startsWith('application/json') || text === '')
    return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function envelopeError(body: unknown): ApiError | undefined {
  const parsed = errorEnvelopeSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { code, message, details } = parsed.data.error;
  const fields = fieldNamesOf(details);
  return { code, message: message ?? '', ...(fields === undefined ? {} : { fields }) };
}
