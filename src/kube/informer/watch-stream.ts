import type { IncomingMessage } from 'node:http';
import { KubeApiError, type KubeStatusBody } from '../client/errors.js';
import { asKubeError } from '../client/http-exchange.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T> {
  readonly type: WatchEventType;
  readonly object: T;
}

export interface ConsumeOptions<T> {
  /** `GET path`, for error messages. */
  readonly label: string;
  /** The watchdog: no byte for this long means a dead connection (client-node 1.4.0 has none). */
  readonly idleTimeoutMs: number;
  readonly onEvent: (event: WatchEvent<T>) => void;
}

interface RawEvent {
  readonly type?: string;
  readonly object?: unknown;
}

/**
 * Reads one watch response line by line until the server ends it (resolves with the number of
 * events) or it fails (rejects with a KubeApiError): an ERROR event becomes the error of its
 * Status code (410 → KUBE_GONE), silence longer than the watchdog becomes KUBE_TIMEOUT, a broken
 * connection KUBE_UNREACHABLE.
 */
export async function consumeWatch<T>(
  response: IncomingMessage,
  options: ConsumeOptions<T>,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let buffer = '';
    let events = 0;
    let settled = false;
    const settle = (error?: KubeApiError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      if (error) {
        response.destroy();
        reject(error);
      } else resolve(events);
    };
    const arm = (): NodeJS.Timeout =>
      setTimeout(() => {
        settle(new KubeApiError('KUBE_TIMEOUT', `${options.label}: no data for ${options.idleTimeoutMs} ms`));
      }, options.idleTimeoutMs);
    let idle = arm();
    const handleLine = (line: string): void => {
      const event = parseLine(options.label, line);
      if (event.type === 'ERROR') {
        const status = (event.object ?? {}) as KubeStatusBody;
        throw KubeApiError.fromResponse(`${options.label} (watch event)`, status.code ?? 500, status);
      }
      events++;
      options.onEvent({ type: event.type as WatchEventType, object: event.object as T });
    };
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      clearTimeout(idle);
      idle = arm();
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      try {
        for (const line of lines) if (line.trim() !== '') handleLine(line);
      } catch (error) {
        settle(asKubeError(options.label, error));
      }
    });
    response.once('end', () => settle());
    response.once('error', (error) => settle(asKubeError(options.label, error)));
    response.once('close', () => {
      if (!response.complete)
        settle(KubeApiError.unreachable(options.label, new Error('watch connection closed')));
    });
  });
}

function parseLine(label: string, line: string): RawEvent {
  try {
    return JSON.parse(line) as RawEvent;
  } catch (error) {
    throw new KubeApiError('KUBE_BAD_RESPONSE', `${label}: a watch line is not JSON`, { cause: error });
  }
}
