import type { RescueTarget } from '../ports/rescue-system.js';
import { RescueError } from '../ports/rescue-errors.js';
import { backoffDelay } from './backoff.js';
import { expectedHostKeyPattern } from './host-key.js';
import { SshConnection, type ConnectionOptions } from './ssh-connection.js';
import { invalidInput } from './start-request.js';

export interface ConnectSettings {
  /** Budget for one try (TCP connect, handshake, authentication). */
  readonly tryTimeoutMs: number;
  readonly keepaliveIntervalMs: number;
  readonly keepaliveCountMax: number;
  /** Used when the target names no deadline. */
  readonly defaultDeadlineMs: number;
}

const fingerprintPattern = /^SHA256:[A-Za-z0-9+/]{43}$/;
/** Not worth another try with less time than this left. */
const minimumTryMs = 100;

/**
 * Connects with retries until the target's deadline: refused, unreachable, timed-out, lost
 * and auth-failed tries are retried with backoff (while a server boots into rescue, its old
 * system or nothing at all may answer); a host key mismatch ends it at once.
 */
export async function connectWithRetries(
  target: RescueTarget,
  settings: ConnectSettings,
): Promise<SshConnection> {
  checkTarget(target);
  const started = Date.now();
  const deadline = started + (target.deadlineMs ?? settings.defaultDeadlineMs);
  // What to report at the deadline: a try the deadline cut short says less than the one before.
  let telling: RescueError | undefined;
  for (let tries = 1; ; tries++) {
    const readyTimeoutMs = Math.max(minimumTryMs, Math.min(settings.tryTimeoutMs, deadline - Date.now()));
    try {
      return await SshConnection.open(tryOptions(target, settings, readyTimeoutMs));
    } catch (error) {
      const failure = error as RescueError;
      const cutShort = failure.code === 'SSH_TIMEOUT' && readyTimeoutMs < settings.tryTimeoutMs;
      if (!cutShort || telling === undefined) telling = failure;
      const delay = backoffDelay(tries, deadline - Date.now());
      if (!failure.retryable || deadline - Date.now() - delay < minimumTryMs) {
        throw givenUp(failure, telling, { tries, started });
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Retryable failures are reported by the most telling try; the others as they are. */
function givenUp(
  last: RescueError,
  telling: RescueError,
  count: { tries: number; started: number },
): RescueError {
  const failure = last.retryable ? telling : last;
  const summary = `[${count.tries} tries in ${Date.now() - count.started} ms]`;
  return new RescueError(failure.code, `${failure.message} ${summary}`, { cause: failure });
}

function tryOptions(
  target: RescueTarget,
  settings: ConnectSettings,
  readyTimeoutMs: number,
): ConnectionOptions {
  return {
    host: target.host,
    port: target.port,
    privateKey: target.privateKey,
    ...(target.pinnedHostKey === undefined ? {} : { pinnedHostKey: target.pinnedHostKey }),
    ...(target.expectedHostKeys === undefined ? {} : { expectedHostKeys: target.expectedHostKeys }),
    readyTimeoutMs,
    keepaliveIntervalMs: settings.keepaliveIntervalMs,
    keepaliveCountMax: settings.keepaliveCountMax,
  };
}

function checkTarget(target: RescueTarget): void {
  if (target.host.trim() === '')
    throw invalidInput('host', target.host, 'must be an IP address or host name');
  if (!Number.isInteger(target.port) || target.port < 1 || target.port > 65535) {
    throw invalidInput('port', String(target.port), 'must be an integer from 1 to 65535');
  }
  if (target.privateKey.trim() === '') throw invalidInput('privateKey', undefined, 'must not be empty');
  if (target.pinnedHostKey !== undefined && !fingerprintPattern.test(target.pinnedHostKey)) {
    throw invalidInput(
      'pinnedHostKey',
      target.pinnedHostKey,
      'must be a SHA256 fingerprint like "SHA256:<43 base64 characters>"',
    );
  }
  checkExpectedHostKeys(target.expectedHostKeys);
  if (target.deadlineMs !== undefined && !(target.deadlineMs > 0)) {
    throw invalidInput('deadlineMs', String(target.deadlineMs), 'must be a positive number of milliseconds');
  }
}

function checkExpectedHostKeys(expected: readonly string[] | undefined): void {
  if (expected === undefined) return;
  const bad = expected.find((fingerprint) => !expectedHostKeyPattern.test(fingerprint));
  if (expected.length === 0 || bad !== undefined) {
    throw invalidInput(
      'expectedHostKeys',
      bad,
      'must list at least one fingerprint, each "SHA256:<43 base64 characters>" or "MD5:<16 colon-separated hex bytes>"',
    );
  }
}
