/**
 * The HTTP side of the webhook server: routing, method and size checks, AdmissionReview and
 * ConversionReview decoding and encoding, health probes and one log line per review. TLS is the
 * server's concern.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { decodeAdmissionReview, encodeAdmissionReview, MalformedReviewError } from './admission-review.js';
import { CONVERSION_PATH } from '../../../api/conversion/index.js';
import { admit, objectName } from './admit.js';
import { convertReview, decodeConversionReview, encodeConversionReview } from './conversion-review.js';
import { BodyTooLargeError, readBody } from './request-body.js';
import type { Route } from './routes.js';
import type { WebhookLog } from './webhook-log.js';

export interface ListenerOptions {
  readonly routes: ReadonlyMap<string, Route>;
  readonly log: WebhookLog;
  readonly maxBodyBytes: number;
  /** Whose writes count as the controller's own (it alone may change its bookkeeping). */
  readonly controllerUsername: string;
  /** Whether /readyz answers 200 (false while shutting down). */
  readonly ready: () => boolean;
}

type Listener = (request: IncomingMessage, response: ServerResponse) => void;

const PROBES: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

function send(
  response: ServerResponse,
  code: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(code, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  response.end(body);
}

/** A plain JSON error for requests that are not admission reviews at all. */
function sendError(
  response: ServerResponse,
  code: number,
  error: string,
  headers?: Record<string, string>,
): void {
  send(response, code, JSON.stringify({ code, error }), headers);
}

function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0] ?? '/';
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

function answerProbe(request: IncomingMessage, response: ServerResponse, ok: boolean): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendError(response, 405, `${pathOf(request.url)} answers GET only`, { allow: 'GET, HEAD' });
    return;
  }
  response.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
  response.end(ok ? 'ok' : 'shutting down');
}

function isJson(request: IncomingMessage): boolean {
  const type = request.headers['content-type'] ?? '';
  return type.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

async function readReviewBody(
  request: IncomingMessage,
  response: ServerResponse,
  limit: number,
): Promise<Buffer | undefined> {
  try {
    return await readBody(request, limit);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    // The rest of the body is not read: the connection is closed once the answer is out.
    sendError(response, 413, error.message, { connection: 'close' });
    return undefined;
  }
}

/** The review decoded, or undefined once a 413 (too large) or 400 (malformed) answered it. */
async function readReview<T>(
  request: IncomingMessage,
  response: ServerResponse,
  limit: number,
  decode: (body: Buffer) => T,
): Promise<T | undefined> {
  const body = await readReviewBody(request, response, limit);
  if (body === undefined) return undefined;
  try {
    return decode(body);
  } catch (error) {
    if (!(error instanceof MalformedReviewError)) throw error;
    sendError(response, 400, error.message);
    return undefined;
  }
}

async function answerReview(
  route: Route,
  request: IncomingMessage,
  response: ServerResponse,
  options: ListenerOptions,
): Promise<void> {
  const started = performance.now();
  const review = await readReview(request, response, options.maxBodyBytes, decodeAdmissionReview);
  if (review === undefined) return;
  const admitted = admit(route, review, options.controllerUsername);
  send(response, 200, encodeAdmissionReview(review.uid, admitted.response));
  options.log(
    admitted.failure ? 'Admission handler failed' : 'Admitted request',
    {
      webhook: route.type,
      kind: route.admission.kind,
      name: objectName(review),
      namespace: review.namespace,
      operation: review.operation,
      uid: review.uid,
      dryRun: review.dryRun,
      allowed: admitted.response.allowed,
      code: admitted.response.status?.code,
      count: admitted.count,
      failure: admitted.failure,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    },
    admitted.failure ? 'info' : 'debug',
  );
}

/** The CRDs' conversion webhook: the same body limit and refusals as admission. */
async function answerConversion(
  request: IncomingMessage,
  response: ServerResponse,
  options: ListenerOptions,
): Promise<void> {
  const started = performance.now();
  const review = await readReview(request, response, options.maxBodyBytes, decodeConversionReview);
  if (review === undefined) return;
  const converted = convertReview(review);
  send(response, 200, encodeConversionReview(review.uid, converted.response));
  const { status } = converted.response.result;
  options.log(
    status === 'Success' ? 'Converted objects' : 'Conversion failed',
    {
      uid: review.uid,
      desiredAPIVersion: review.desiredAPIVersion.slice(0, 100),
      count: review.objects.length,
      status,
      failure: converted.failure,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
    },
    status === 'Success' ? 'debug' : 'info',
  );
}

interface Refusal {
  readonly code: number;
  readonly error: string;
  readonly headers?: Record<string, string>;
}

/** Why a request to a webhook path cannot be a review, if it cannot. */
function refusal(request: IncomingMessage, path: string): Refusal | undefined {
  if (request.method !== 'POST')
    return { code: 405, error: `${path} answers POST only`, headers: { allow: 'POST' } };
  if (!isJson(request)) return { code: 415, error: 'the request body must be application/json' };
  return undefined;
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  options: ListenerOptions,
): Promise<void> {
  const path = pathOf(request.url);
  if (PROBES.has(path)) {
    answerProbe(request, response, path === '/healthz' || options.ready());
    return;
  }
  const target = options.routes.get(path);
  if (!target && path !== CONVERSION_PATH) {
    sendError(response, 404, `no webhook is served at ${path}`);
    return;
  }
  const refused = refusal(request, path);
  if (refused) {
    sendError(response, refused.code, refused.error, refused.headers);
    return;
  }
  if (target) await answerReview(target, request, response, options);
  else await answerConversion(request, response, options);
}

/** The server's request handler. It never throws; an unexpected failure answers HTTP 500. */
export function createRequestListener(options: ListenerOptions): Listener {
  return (request, response) => {
    route(request, response, options).catch((error: unknown) => {
      options.log('Request failed', {
        path: pathOf(request.url),
        error: error instanceof Error ? error.name : typeof error,
      });
      if (!response.headersSent) sendError(response, 500, 'internal error');
      else response.destroy();
    });
  };
}
