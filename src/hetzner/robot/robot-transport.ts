import { RobotError } from '../../ports/robot-errors.js';
import { readAnswerBody } from './answer-body.js';
import {
  classifyAnswer,
  classifyNetworkError,
  networkCode,
  redacted,
  statedLimit,
} from './error-classification.js';
import { encodeForm, type FormValue } from './form-encoding.js';
import { RobotRequestBudget } from './request-budget.js';
import { backoffMs, isRetried, type AttemptFailure } from './retry-policy.js';
import {
  fillPath,
  robotEndpoints,
  type RobotEndpoint,
  type RobotOperation,
  type RobotPathParams,
} from './robot-endpoints.js';
import { checkedEndpoint, rateLimitedError } from './transport-guards.js';
import { baseHeaders, defaultSleep, defaultTimeoutMs } from '../transport-options.js';
import { defaultRobotEndpoint, type RobotTransportOptions } from './transport-options.js';
import { errorEnvelopeSchema } from './wire-schemas.js';

export interface RobotRequest {
  readonly operation: RobotOperation;
  readonly params?: RobotPathParams;
  readonly form?: Readonly<Record<string, FormValue>>;
}

type Attempt =
  | { readonly ok: true; readonly body: unknown }
  | {
      readonly ok: false;
      readonly error: RobotError;
      readonly failure: AttemptFailure;
      readonly stated?: { readonly requests: number; readonly intervalMs: number };
    };

/** One call's progress through waits and retries. */
interface CallState {
  waitedMs: number;
  retries: number;
  rateLimited?: RobotError;
}

/**
 * HTTP to the Robot webservice for one account: Basic auth, form bodies, the per-endpoint
 * request budget, errors classified where they arrive, retries of transient failures for
 * idempotent calls only, and no repeated logins after a 401.
 */
export class RobotTransport {
  readonly budget: RobotRequestBudget;
  private readonly endpoint: string;
  private readonly authorization: string;
  private readonly secrets: readonly string[];
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetchFn: typeof fetch;
  private readonly timeoutMs: number;
  private unauthorizedAt: number | undefined;

  constructor(private readonly options: RobotTransportOptions) {
    if (options.user === '' || options.password === '')
      throw new RobotError('ROBOT_UNAUTHORIZED', 'robot: no webservice user or password configured');
    this.endpoint = checkedEndpoint(options.endpoint ?? defaultRobotEndpoint);
    const basic = Buffer.from(`${options.user}:${options.password}`).toString('base64');
    this.authorization = `Basic ${basic}`;
    this.secrets = [options.password, options.user, basic];
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
    this.budget = options.budget ?? new RobotRequestBudget();
  }

  /** Sends the request (waiting for the budget, retrying what is safe); resolves with the JSON body. */
  async request(request: RobotRequest): Promise<unknown> {
    const endpoint = robotEndpoints[request.operation];
    const path = fillPath(endpoint.path, request.params ?? {});
    this.refuseWhileUnauthorized(request.operation);
    const call: CallState = { waitedMs: 0, retries: 0 };
    for (;;) {
      await this.awaitBudget(request.operation, endpoint, call);
      const attempt = await this.attempt(request, endpoint, path);
      if (attempt.ok) return attempt.body;
      if (!(await this.again(attempt, endpoint, call))) throw attempt.error;
    }
  }

  private refuseWhileUnauthorized(operation: string): void {
    const hold = this.options.unauthorizedHoldMs ?? 600_000;
    if (this.unauthorizedAt === undefined || this.now() - this.unauthorizedAt >= hold) return;
    const ago = Math.round((this.now() - this.unauthorizedAt) / 1000);
    throw new RobotError(
      'ROBOT_UNAUTHORIZED',
      `robot ${operation} not sent: these credentials were refused (HTTP 401) ${ago} s ago, and ` +
        'Robot blocks an address after repeated failed logins; check the webservice user and password',
      { apiCode: 'UNAUTHORIZED', httpStatus: 401 },
    );
  }

  private async awaitBudget(operation: string, endpoint: RobotEndpoint, call: CallState): Promise<void> {
    const maxWait = (this.options.maxRateLimitWaitMs ?? 120_000) - call.waitedMs;
    const reservation = this.budget.reserve(endpoint.group, this.now(), Math.max(0, maxWait));
    if (!reservation.granted)
      throw rateLimitedError(operation, endpoint, reservation.waitMs, call.rateLimited);
    if (reservation.waitMs <= 0) return;
    const cause = call.rateLimited === undefined ? 'budget' : 'rate_limited';
    this.options.observer?.onRateLimitWait?.(reservation.waitMs / 1000, endpoint.path, cause);
    call.waitedMs += reservation.waitMs;
    await this.sleep(reservation.waitMs);
  }

  /** Whether to send the request again after this failure (having waited for it if so). */
  private async again(
    attempt: Extract<Attempt, { ok: false }>,
    endpoint: RobotEndpoint,
    call: CallState,
  ): Promise<boolean> {
    const { error, failure } = attempt;
    if (error.code === 'ROBOT_RATE_LIMITED' && failure.kind === 'answer') {
      // Refused, so not done: safe to send again once the budget says the window allows it.
      this.budget.observeRateLimited(endpoint.group, this.now(), attempt.stated);
      call.rateLimited = error;
      return true;
    }
    if (failure.kind === 'answer' && failure.status === 401) this.unauthorizedAt = this.now();
    if (call.retries >= (this.options.maxRetries ?? 3) || !isRetried(failure, endpoint.idempotent))
      return false;
    const random = this.options.random ?? Math.random;
    await this.sleep(backoffMs(call.retries, random, { baseMs: this.options.backoffBaseMs ?? 1000 }));
    call.retries += 1;
    return true;
  }

  private async attempt(request: RobotRequest, endpoint: RobotEndpoint, path: string): Promise<Attempt> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    let status = 0;
    try {
      const response = await this.fetchFn(this.endpoint + path, this.init(request, endpoint, signal));
      status = response.status;
      this.observe(endpoint, status);
      const body = await readAnswerBody(response, request.operation);
      return response.ok ? { ok: true, body } : this.failed(request.operation, status, body);
    } catch (error) {
      if (error instanceof RobotError) return { ok: false, error, failure: { kind: 'answer', status } };
      if (status === 0) this.observe(endpoint, 0);
      return this.unanswered(request.operation, error, signal.aborted ? this.timeoutMs : undefined);
    }
  }

  private observe(endpoint: RobotEndpoint, status: number): void {
    this.options.observer?.onRequest?.(endpoint.path, endpoint.method, status);
  }

  /** No (complete) answer: a network error, or the deadline passed. */
  private unanswered(operation: string, error: unknown, timeoutMs: number | undefined): Attempt {
    const code = networkCode(error);
    return {
      ok: false,
      error: redacted(classifyNetworkError(operation, error, timeoutMs), this.secrets),
      failure: {
        kind: 'network',
        timedOut: timeoutMs !== undefined,
        ...(code === undefined ? {} : { code }),
      },
    };
  }

  private failed(operation: string, status: number, body: unknown): Attempt {
    const parsed = errorEnvelopeSchema.safeParse(body);
    const apiError = parsed.success ? parsed.data.error : undefined;
    const error = classifyAnswer({ operation, status, ...(apiError === undefined ? {} : { apiError }) });
    const stated = statedLimit(apiError);
    return {
      ok: false,
      error: redacted(error, this.secrets),
      failure: { kind: 'answer', status },
      ...(stated === undefined ? {} : { stated }),
    };
  }

  private init(request: RobotRequest, endpoint: RobotEndpoint, signal: AbortSignal): RequestInit {
    const headers = baseHeaders(this.authorization, this.options.userAgent);
    if (request.form === undefined) return { method: endpoint.method, headers, signal };
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    return { method: endpoint.method, headers, body: encodeForm(request.form), signal };
  }
}
