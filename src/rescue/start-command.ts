import { randomBytes } from 'node:crypto';
import { RescueError } from '../ports/rescue-errors.js';
import type { StartImageUrlCommandInput, StartImageUrlCommandResult } from '../ports/rescue-system.js';
import { openCommand, type OpenedCommand } from './command-source.js';
import { launcherBase } from './launcher-script.js';
import { observeCommand } from './observe-command.js';
import { remoteCommands } from './remote-commands.js';
import type { SessionContext } from './session-context.js';
import { encodeStartRequest } from './start-request.js';

/** The launcher waits up to 5 s for the command's pid; this bounds the whole start call. */
const launchTimeoutMs = 30_000;

/**
 * Starts the attempt's command at most once per boot. Order: validate every value and open the
 * local command (nothing remote yet) → if the boot already has a claim, report it instead of
 * starting → upload into a fresh staging folder → the launcher claims the boot atomically,
 * moves the files into place and starts the command detached.
 */
export async function startCommand(
  context: SessionContext,
  input: StartImageUrlCommandInput,
): Promise<StartImageUrlCommandResult> {
  const stagingName = `staged-${randomBytes(8).toString('hex')}`;
  const request = encodeStartRequest({
    attemptId: input.attemptId,
    stagingName,
    imageUrl: input.imageUrl,
    machineName: input.machineName,
    rootDevices: input.rootDevices,
    registryToken: input.registryToken ?? '',
  });
  const command = await openCommand(input.command);
  try {
    context.addSecret(input.registryToken);
    const existing = await observeCommand(context, input.attemptId);
    if (existing.attemptId !== undefined) {
      if (existing.attemptId !== input.attemptId) throw conflict(existing.attemptId);
      return { started: false, observation: existing };
    }
    const result = await launch(context, {
      stagingName,
      request,
      command,
      bootstrapData: input.bootstrapData,
    }).catch(async (error: unknown) => {
      // A concurrent start of the same attempt may win while this one uploads (and remove
      // its staging folder): then this attempt runs, just not by this call.
      const after = await observeCommand(context, input.attemptId).catch(() => undefined);
      if (after?.attemptId === input.attemptId) return 'already-started';
      throw error;
    });
    if (result === 'conflict') throw conflict('another attempt');
    return { started: result === 'started', observation: await observeCommand(context, input.attemptId) };
  } catch (error) {
    throw context.connection.failure('starting the image-url-command', error);
  } finally {
    await command.close();
  }
}

interface Launch {
  readonly stagingName: string;
  readonly request: Buffer;
  readonly command: OpenedCommand;
  readonly bootstrapData: string | Uint8Array;
}

/** Uploads into this call's staging folder, then lets the launcher claim the boot and start. */
async function launch(context: SessionContext, launch: Launch): Promise<string | undefined> {
  await context.ensureLauncher();
  const files = await context.connection.sftp();
  const folder = `${launcherBase}/${launch.stagingName}`;
  await files.mkdir(folder, 0o700);
  await files.writeFile(`${folder}/command`, launch.command.chunks(), 0o700);
  const { bootstrapData } = launch;
  const bootstrap = typeof bootstrapData === 'string' ? Buffer.from(bootstrapData, 'utf8') : bootstrapData;
  await files.writeFile(`${folder}/bootstrap.data`, [bootstrap], 0o600);
  const answer = await context.runLauncher(remoteCommands.start, launch.request, launchTimeoutMs);
  return answer.get('result');
}

function conflict(owner: string): RescueError {
  return new RescueError(
    'RESCUE_ATTEMPT_CONFLICT',
    `this rescue boot already ran ${owner === 'another attempt' ? owner : `attempt ${owner}`}; reboot into rescue for a new attempt`,
  );
}
