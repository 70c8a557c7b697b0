import {
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { KubeApiError, type KubeStatusBody } from './errors.js';

/** One request in flight: the request (to destroy) and its response headers. */
export interface Exchange {
  readonly request: ClientRequest;
  readonly response: Promise<IncomingMessage>;
}

/** Sends one HTTP(S) request; transport errors reject `response` as KUBE_UNREACHABLE unless typed. */
export function exchange(url: URL, options: RequestOptions, label: string, body?: string): Exchange {
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  let request!: ClientRequest;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request = send(url, options, resolve);
    request.once('error', (error) => reject(asKubeError(label, error)));
  });
  request.end(body);
  return { request, response };
}

export function asKubeError(label: string, error: unknown): KubeApiError {
  return error instanceof KubeApiError ? error : KubeApiError.unreachable(label, error);
}

/**
 * Arms a deadline and an abort signal on a request: either destroys it with a typed error.
 * Returns the disarm function and a getter for the error that ended the request, if any.
 */
export function guard(
  request: ClientRequest,
  label: string,
  limits: { readonly timeoutMs?: number; readonly signal?: AbortSignal },
): { readonly disarm: () => void; readonly failure: () => KubeApiError | undefined } {
  let failure: KubeApiError | undefined;
  const fail = (error: KubeApiError): void => {
    failure ??= error;
    request.destroy(error);
  };
  const timer =
    limits.timeoutMs === undefined
      ? undefined
      : setTimeout(
          () => fail(new KubeApiError('KUBE_TIMEOUT', `${label}: no answer within ${limits.timeoutMs} ms`)),
          limits.timeoutMs,
        );
  const onAbort = (): void => fail(new KubeApiError('KUBE_ABORTED', `${label}: aborted`));
  if (limits.signal?.aborted) onAbort();
  limits.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    disarm: () => {
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
    },
    failure: () => failure,
  };
}

/** The whole body as text; rejects if the connection ends before the body is complete. */
export async function readBody(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.once('error', reject);
    response.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.once('close', () => {
      if (!response.complete) reject(new Error('the connection closed before the response was complete'));
    });
  });
}

/** The typed error for a non-2xx response, from its Status body when it has one. */
export async function errorFromResponse(label: string, response: IncomingMessage): Promise<KubeApiError> {
  const text = await readBody(response).catch(() => '');
  let status: KubeStatusBody | undefined;
  try {
    status = JSON.parse(text) as KubeStatusBody;
  } catch {
    status = text ? { message: text } : undefined;
  }
  return KubeApiError.fromResponse(label, response.statusCode ?? 0, status);
}
