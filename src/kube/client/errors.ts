/** Stable codes for every way a request to the apiserver can fail. */
export type KubeErrorCode =
  | 'KUBE_BAD_REQUEST'
  | 'KUBE_UNAUTHORIZED'
  | 'KUBE_FORBIDDEN'
  | 'KUBE_NOT_FOUND'
  | 'KUBE_CONFLICT'
  | 'KUBE_ALREADY_EXISTS'
  | 'KUBE_GONE'
  | 'KUBE_INVALID'
  | 'KUBE_TOO_MANY_REQUESTS'
  | 'KUBE_SERVER_ERROR'
  | 'KUBE_HTTP_ERROR'
  | 'KUBE_UNREACHABLE'
  | 'KUBE_TIMEOUT'
  | 'KUBE_ABORTED'
  | 'KUBE_BAD_RESPONSE';

/** The fields of a metav1.Status the runtime looks at. */
export interface KubeStatusBody {
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
}

const MESSAGE_LIMIT = 300;

const BY_STATUS: Readonly<Record<number, KubeErrorCode>> = {
  400: 'KUBE_BAD_REQUEST',
  401: 'KUBE_UNAUTHORIZED',
  403: 'KUBE_FORBIDDEN',
  404: 'KUBE_NOT_FOUND',
  409: 'KUBE_CONFLICT',
  410: 'KUBE_GONE',
  422: 'KUBE_INVALID',
  429: 'KUBE_TOO_MANY_REQUESTS',
};

/** Codes worth retrying with backoff (the request may succeed unchanged later). */
const RETRYABLE = new Set<KubeErrorCode>([
  'KUBE_TOO_MANY_REQUESTS',
  'KUBE_SERVER_ERROR',
  'KUBE_UNREACHABLE',
  'KUBE_TIMEOUT',
  'KUBE_CONFLICT',
]);

function codeFor(httpStatus: number, reason: string | undefined): KubeErrorCode {
  if (httpStatus === 409 && reason === 'AlreadyExists') return 'KUBE_ALREADY_EXISTS';
  const known = BY_STATUS[httpStatus];
  if (known !== undefined) return known;
  return httpStatus >= 500 ? 'KUBE_SERVER_ERROR' : 'KUBE_HTTP_ERROR';
}

function clip(text: string): string {
  return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}…` : text;
}

/**
 * A failed apiserver request, classified at the boundary so callers branch on `code` and never
 * parse messages. The message names the method and path (object names only, never bodies) and
 * the apiserver's own message, truncated.
 */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';

  constructor(
    readonly code: KubeErrorCode,
    message: string,
    readonly details: {
      readonly httpStatus?: number;
      readonly reason?: string;
      readonly cause?: unknown;
    } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  get httpStatus(): number | undefined {
    return this.details.httpStatus;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }

  /** From an HTTP error response and its (possibly absent) Status body. */
  static fromResponse(request: string, httpStatus: number, status: KubeStatusBody | undefined): KubeApiError {
    const reason = status?.reason;
    const text = status?.message ?? `HTTP ${httpStatus}`;
    return new KubeApiError(
      codeFor(httpStatus, reason),
      `${request}: ${httpStatus}${reason ? ` ${reason}` : ''}: ${clip(text)}`,
      { httpStatus, ...(reason === undefined ? {} : { reason }) },
    );
  }

  /** From a transport failure (connection refused, reset, TLS). */
  static unreachable(request: string, cause: unknown): KubeApiError {
    const why = cause instanceof Error ? cause.message : String(cause);
    return new KubeApiError('KUBE_UNREACHABLE', `${request}: ${clip(why)}`, { cause });
  }
}

/** Whether `error` is a KubeApiError with one of `codes`. */
export function isKubeError(error: unknown, ...codes: KubeErrorCode[]): error is KubeApiError {
  return error instanceof KubeApiError && (codes.length === 0 || codes.includes(error.code));
}
