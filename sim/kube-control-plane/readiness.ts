import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SupervisedProcess } from '../process/supervised-process.js';
import { waitFor } from '../process/wait-for.js';

/** Client-side TLS material for probing the apiserver (PEM text). */
export interface ProbeTls {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

const PROBE_TIMEOUT_MS = 2_000;

/** The HTTP status of a GET to `url`; rejects on connection errors and after a short timeout. */
export async function httpGetStatus(url: string, tls?: ProbeTls): Promise<number> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'GET', timeout: PROBE_TIMEOUT_MS, ...tls, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${PROBE_TIMEOUT_MS} ms`)));
    req.once('error', reject);
    req.end();
  });
}

/** The last `maxLines` lines of a process's output, for error messages. */
export function outputTail(text: string, maxLines = 40): string {
  const lines = text.trimEnd().split('\n');
  const tail = lines.slice(-maxLines).join('\n');
  return lines.length > maxLines ? `…\n${tail}` : tail || '(no output)';
}

export interface ReadyOptions {
  readonly deadlineMs: number;
  readonly description: string;
}

/**
 * Waits until `probe` says the process is ready. Fails at once (with the output tail) when the
 * process exits, and after the deadline with the probe's last error and the output tail.
 */
export async function waitUntilReady(
  member: SupervisedProcess,
  probe: () => Promise<boolean>,
  options: ReadyOptions,
): Promise<void> {
  let outcome: 'ready' | 'exited';
  try {
    outcome = await waitFor(
      async () => {
        if (!member.running) return 'exited';
        return (await probe()) ? 'ready' : undefined;
      },
      { deadlineMs: options.deadlineMs, description: options.description, initialIntervalMs: 50 },
    );
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`${why}\n${member.spec.name} output:\n${outputTail(member.output.text())}`, {
      cause: error,
    });
  }
  if (outcome === 'exited') {
    const exit = await member.waitForExit();
    throw new Error(
      `${member.spec.name} exited (${exit}) before it was ready; output:\n${outputTail(member.output.text())}`,
    );
  }
}

/** True for errors caused by a port that was taken between choosing and binding it. */
export function isPortCollision(error: unknown): boolean {
  return error instanceof Error && /address already in use/i.test(error.message);
}

/** Runs `attempt`, and once more when it failed because its port was taken meanwhile. */
export async function retryOnPortCollision<T>(attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (!isPortCollision(error)) throw error;
    return attempt();
  }
}
