import type { IncomingMessage } from 'node:http';

/** kube-apiserver sends at most 3 MiB of request body to a webhook (its own request limit). */
export const DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

/** The body is larger than allowed; the server answers HTTP 413. */
export class BodyTooLargeError extends Error {
  readonly code = 'BODY_TOO_LARGE';
  constructor(readonly limit: number) {
    super(`the request body is larger than ${limit} bytes`);
  }
}

/**
 * Reads a request body, failing with BodyTooLargeError as soon as it (or its declared
 * Content-Length) exceeds `limit` bytes, without buffering more than that. The stream is left
 * undestroyed so the caller can still answer (with `Connection: close`).
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLargeError(limit);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      request.off('data', onData).off('end', onEnd).off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      stop();
      request.pause();
      reject(new BodyTooLargeError(limit));
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error): void => {
      stop();
      reject(error);
    };
    request.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
