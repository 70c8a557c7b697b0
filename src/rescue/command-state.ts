import type { ImageUrlCommandFailureReason, ImageUrlCommandState } from '../ports/rescue-system.js';
import type { MarkerVerdict } from './marker-rule.js';

/** What the launcher's `status` subcommand reports (`key=value` lines). */
export interface LauncherStatus {
  /** The attempt that claimed this boot; undefined when none did. */
  readonly attemptId?: string;
  readonly startedAt?: Date;
  readonly supervisorAlive: boolean;
  readonly exit?: { readonly code: number; readonly endedAt: Date };
  readonly stopped: boolean;
}

export interface StateDecision {
  readonly state: ImageUrlCommandState;
  readonly failure?: { readonly reason: ImageUrlCommandFailureReason; readonly message: string };
}

const logPath = '/root/image-url-command.log';

/** The launcher answers in `key=value` lines (values are ours: numbers, words, attempt ids). */
export function parseKeyValues(stdout: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return values;
}

export function launcherStatusFrom(values: ReadonlyMap<string, string>): LauncherStatus {
  const attemptId = values.get('attempt') ?? '';
  const started = Number(values.get('started'));
  const ended = /^(\d+) (\d+)$/.exec(values.get('ended') ?? '');
  return {
    ...(attemptId === '' ? {} : { attemptId }),
    ...(Number.isFinite(started) && started > 0 ? { startedAt: new Date(started) } : {}),
    supervisorAlive: values.get('supervisor') === 'alive',
    ...(ended ? { exit: { code: Number(ended[1]), endedAt: new Date(Number(ended[2])) } } : {}),
    stopped: values.get('stopped') === 'yes',
  };
}

/** Whether the last output line must be inspected to decide (only once the command exited). */
export function needsMarkerVerdict(askedAttempt: string, status: LauncherStatus): boolean {
  return status.attemptId === askedAttempt && status.exit !== undefined && !status.stopped;
}

/**
 * The state of `askedAttempt`'s command. Success needs an exit record and the marker on the
 * last line; the exit code never overrides that (marker-rule.ts), and a stopped command has
 * failed whatever it printed.
 */
export function decideState(
  askedAttempt: string,
  status: LauncherStatus,
  verdict?: MarkerVerdict,
): StateDecision {
  if (status.attemptId === undefined) return { state: 'not-started' };
  if (status.attemptId !== askedAttempt) {
    return failed(
      'other-attempt',
      `this rescue boot already ran attempt ${status.attemptId}; reboot into rescue for a new attempt`,
    );
  }
  if (status.exit === undefined) {
    return status.supervisorAlive
      ? { state: 'running' }
      : failed(
          'exit-unknown',
          'the command ended without an exit status being recorded (its supervisor vanished)',
        );
  }
  const code = `exit code ${status.exit.code}`;
  if (status.stopped) return failed('stopped', `the command was stopped (${code})`);
  switch (verdict) {
    case 'marker-last':
      return { state: 'succeeded' };
    case 'output-after-marker':
      return failed(
        'output-after-marker',
        `IMAGE_URL_DONE is not on the last line of ${logPath}; output followed it (${code})`,
      );
    default:
      return failed('marker-missing', `IMAGE_URL_DONE not found in the last line of ${logPath} (${code})`);
  }
}

function failed(reason: ImageUrlCommandFailureReason, message: string): StateDecision {
  return { state: 'failed', failure: { reason, message } };
}
