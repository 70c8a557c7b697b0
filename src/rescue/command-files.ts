import type { CommandLogTail, OutputJsonReading } from '../ports/rescue-system.js';
import { launcherBase } from './launcher-script.js';
import { outputJsonMaxBytes, parseOutputJson } from './output-json.js';
import { redactText, redactWindow, redactionLead } from './redact.js';
import type { RemoteFile, SftpFiles } from './sftp-files.js';

/** Where the command's files are on the rescue system (CAPH's paths). */
export const commandPaths = {
  log: '/root/image-url-command.log',
  outputJson: '/root/output.json',
  claim: `${launcherBase}/attempt`,
} as const;

/** How much of the log observe() returns: the last 64 KiB. */
export const logTailBytes = 64 * 1024;

/**
 * The last 64 KiB of the log with secrets redacted. The read starts a little earlier (the
 * longest secret's length) so a secret cut by the 64 KiB boundary is still recognised; those
 * extra bytes are never returned.
 */
export async function readLogTail(
  log: RemoteFile | undefined,
  secrets: readonly string[],
): Promise<CommandLogTail> {
  if (log === undefined) return { sizeBytes: 0, tail: '', truncated: false };
  const keepFrom = Math.max(0, log.size - logTailBytes);
  const windowStart = Math.max(0, keepFrom - redactionLead(secrets));
  const window = await log.readAt(windowStart, log.size - windowStart);
  return {
    sizeBytes: log.size,
    tail: redactWindow(window, keepFrom - windowStart, secrets),
    truncated: keepFrom > 0,
  };
}

/** `/root/output.json`, bounded to 64 KiB; problems are reported, never thrown. */
export async function readOutputJson(
  files: SftpFiles,
  secrets: readonly string[],
): Promise<OutputJsonReading> {
  const file = await files.open(commandPaths.outputJson);
  if (file === undefined) return { status: 'absent' };
  try {
    if (file.size > outputJsonMaxBytes) {
      return {
        status: 'unreadable',
        problem: `output.json is larger than ${outputJsonMaxBytes} bytes (${file.size})`,
      };
    }
    const reading = parseOutputJson((await file.readAt(0, file.size)).toString('utf8'));
    // JSON.parse errors quote the input, so problems are redacted as well as messages.
    return reading.status === 'message'
      ? { status: 'message', message: redactText(reading.message, secrets) }
      : reading.status === 'unreadable'
        ? { status: 'unreadable', problem: redactText(reading.problem, secrets) }
        : reading;
  } finally {
    await file.close();
  }
}
