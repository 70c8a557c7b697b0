import type {
  CommandLogTail,
  ImageUrlCommandObservation,
  OutputJsonReading,
} from '../ports/rescue-system.js';
import {
  decideState,
  needsMarkerVerdict,
  launcherStatusFrom,
  type LauncherStatus,
  type StateDecision,
} from './command-state.js';
import { commandPaths, readLogTail, readOutputJson } from './command-files.js';
import { lastLineVerdict, type MarkerVerdict } from './marker-rule.js';
import { redactText } from './redact.js';
import { remoteCommands } from './remote-commands.js';
import type { SessionContext } from './session-context.js';
import type { SftpFiles } from './sftp-files.js';
import { checkAttemptId } from './start-request.js';

const unclaimed: LauncherStatus = { supervisorAlive: false, stopped: false };

/**
 * The state of `attemptId`'s command on this boot, from the launcher's records, the log (tail
 * and last line, read by offset) and output.json. Everything returned is bounded and redacted.
 */
export async function observeCommand(
  context: SessionContext,
  attemptId: string,
): Promise<ImageUrlCommandObservation> {
  checkAttemptId(attemptId);
  try {
    const files = await context.connection.sftp();
    // No claim means nothing was started here: the launcher is not even needed.
    if ((await files.lstat(commandPaths.claim)) === undefined) {
      const decision = decideState(attemptId, unclaimed);
      return observation(
        { status: unclaimed, decision, log: emptyLog, outputJson: { status: 'absent' } },
        [],
      );
    }
    const answer = await context.runLauncher(remoteCommands.status, undefined, context.timeouts.commandMs);
    const status = launcherStatusFrom(answer);
    const { tail, verdict } = await readLog(files, context.secrets, needsMarkerVerdict(attemptId, status));
    const outputJson = await readOutputJson(files, context.secrets);
    const decision = decideState(attemptId, status, verdict);
    return observation({ status, decision, log: tail, outputJson }, context.secrets);
  } catch (error) {
    throw context.connection.failure('observing the image-url-command', error);
  }
}

const emptyLog: CommandLogTail = { sizeBytes: 0, tail: '', truncated: false };

/** Opened after the status was read: once an exit is recorded there, the log is complete. */
async function readLog(
  files: SftpFiles,
  secrets: readonly string[],
  withVerdict: boolean,
): Promise<{ tail: CommandLogTail; verdict?: MarkerVerdict }> {
  const log = await files.open(commandPaths.log);
  if (log === undefined) return { tail: emptyLog };
  try {
    const tail = await readLogTail(log, secrets);
    if (!withVerdict) return { tail };
    return {
      tail,
      verdict: await lastLineVerdict((position, length) => log.readAt(position, length), log.size),
    };
  } finally {
    await log.close();
  }
}

interface Findings {
  readonly status: LauncherStatus;
  readonly decision: StateDecision;
  readonly log: CommandLogTail;
  readonly outputJson: OutputJsonReading;
}

function observation(findings: Findings, secrets: readonly string[]): ImageUrlCommandObservation {
  const { status, decision, log, outputJson } = findings;
  const { failure } = decision;
  return {
    state: decision.state,
    ...(status.attemptId === undefined ? {} : { attemptId: status.attemptId }),
    ...(failure
      ? { failure: { reason: failure.reason, message: redactText(failure.message, secrets) } }
      : {}),
    ...(status.exit ? { exitCode: status.exit.code, endedAt: status.exit.endedAt } : {}),
    ...(status.startedAt ? { startedAt: status.startedAt } : {}),
    log,
    outputJson,
  };
}
