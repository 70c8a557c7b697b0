import { CloudError, type CloudErrorCode } from '../../ports/cloud-errors.js';
import { retryAfterFromHeaders } from './rate-limit-headers.js';

/** What arrived for a failed call: the HTTP status, the parsed `error` envelope if any, the headers. */
export interface FailedResponse {
  readonly operation: string;
  readonly status: number;
  /** The envelope's `error.code` and `error.message`; undefined when the body was not JSON. */
  readonly apiError?: ApiError;
  readonly headers: Headers;
  readonly now: number;
}

/** The envelope's `error`: code, message and, for `invalid_input`, the fields it names. */
export interface ApiError {
  readonly code: string;
  readonly message: string;
  readonly fields?: readonly string[];
}

/** `details.fields[].name` of an `invalid_input` envelope (docs.hetzner.cloud, "Errors"). */
export function fieldNamesOf(details: unknown): readonly string[] | undefined {
  if (typeof details !== 'object' || details === null || !('fields' in details)) return undefined;
  const { fields } = details;
  if (!Array.isArray(fields)) return undefined;
  const names = fields.flatMap((field: unknown) =>
    typeof field === 'object' && field !== null && 'name' in field && typeof field.name === 'string'
      ? [field.name.slice(0, 64)]
      : [],
  );
  return names.length === 0 ? undefined : names.slice(0, 8);
}

/** API codes that are the port's codes unchanged. */
const passThrough: ReadonlySet<string> = new Set<CloudErrorCode>([
  'unauthorized',
  'forbidden',
  'not_found',
  'uniqueness_error',
  'invalid_input',
  'resource_unavailable',
  'resource_limit_exceeded',
  'placement_error',
  'locked',
  'protected',
  'conflict',
  'rate_limit_exceeded',
  'server_error',
  'unavailable',
  'timeout',
]);

/** API codes the port names differently (docs.hetzner.cloud, "Errors"). */
const aliases: Readonly<Record<string, CloudErrorCode>> = {
  token_readonly: 'unauthorized',
  limit_reached: 'rate_limit_exceeded',
  bad_gateway: 'server_error',
  maintenance: 'unavailable',
  robot_unavailable: 'unavailable',
  resource_locked: 'locked',
  json_error: 'invalid_input',
  method_not_allowed: 'invalid_input',
  unsupported_error: 'invalid_input',
  invalid_server_type: 'invalid_input',
  no_space_left_in_location: 'resource_unavailable',
  // A spread group holds 10 servers; an operator must make room or use another group.
  placement_group_member_limit_reached: 'placement_error',
};

/**
 * For answers without a JSON error body: the code the status means (docs.hetzner.cloud, "Errors",
 * status column).
 */
const byStatus: Readonly<Record<number, CloudErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  412: 'resource_unavailable',
  422: 'invalid_input',
  423: 'locked',
  429: 'rate_limit_exceeded',
  500: 'server_error',
  502: 'server_error',
  503: 'unavailable',
  504: 'timeout',
};

export function portCode(apiCode: string): CloudErrorCode {
  if (passThrough.has(apiCode)) return apiCode as CloudErrorCode;
  return aliases[apiCode] ?? 'unknown';
}

function statusCode(status: number): CloudErrorCode {
  return byStatus[status] ?? (status >= 400 && status < 500 ? 'invalid_input' : 'unknown');
}

/** Turns a failed answer into the port's CloudError, naming the operation (never the token). */
export function classifyResponse(failed: FailedResponse): CloudError {
  const { apiError, status, operation } = failed;
  const code = apiError === undefined ? statusCode(status) : portCode(apiError.code);
  const apiCode = apiError?.code ?? (status === 502 ? 'bad_gateway' : code);
  const what = apiError === undefined ? `HTTP ${status} without an error body` : apiError.message;
  const correlation = failed.headers.get('x-correlation-id');
  const suffix = correlation === null ? '' : `, correlation id ${correlation}`;
  const message = `hcloud ${operation} failed: ${what} (${apiCode}, HTTP ${status}${suffix})`;
  const fields = apiError?.fields;
  if (code !== 'rate_limit_exceeded')
    return new CloudError(code, message, { apiCode, ...(fields === undefined ? {} : { fields }) });
  return new CloudError(code, message, {
    apiCode,
    retryAfterMs: retryAfterFromHeaders(failed.headers, failed.now),
  });
}

/** A request that got no answer: `timeout` when the deadline passed, `network_error` otherwise. */
export function classifyNetworkError(operation: string, error: unknown, timedOut: boolean): CloudError {
  if (timedOut)
    return new CloudError('timeout', `hcloud ${operation} failed: no answer in time`, { cause: error });
  const reason = describeCause(error);
  return new CloudError('network_error', `hcloud ${operation} failed: ${reason}`, { cause: error });
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return 'network error';
  const cause: unknown = error.cause;
  if (cause instanceof Error && 'code' in cause && typeof cause.code === 'string')
    return `network error (${cause.code})`;
  return `network error (${error.message})`;
}
