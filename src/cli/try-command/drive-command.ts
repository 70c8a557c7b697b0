import { setTimeout as sleep } from 'node:timers/promises';
import type { CommandReport } from '../../image-url/command-report.js';
import { timedOutCommandReport } from '../../image-url/command-timeout.js';
import { isProvisioningError, messageOf } from '../../image-url/errors.js';
import {
  attemptId,
  closeQuietly,
  connectAccess,
  rescueAccess,
  type RescueAccess,
} from '../../image-url/rescue-attempt.js';
import type {
  CommandSource,
  ImageUrlCommandObservation,
  RescueSession,
  RescueSystem,
} from '../../ports/rescue-system.js';
import { commandObserved, commandStartFailed } from '../../provisioning/command-outcome.js';
import { reasonStrings } from '../../provisioning/reasons.js';
import { defaultSettings } from '../../provisioning/settings.js';
import { bootStateTable } from '../../provisioning/states.js';
import type { StepResult } from '../../provisioning/step-result.js';
import { goDuration, timeoutMessage, type ReasonStrings } from '../../state-machine/index.js';
import type { DeviceString } from '../commands/try-command.js';
import { LiveOutput } from './live-output.js';
import { rootDevices } from './root-devices-argument.js';

export interface DriveInput {
  readonly rescue: RescueSystem;
  readonly sandbox: { readonly address: string; readonly port: number; readonly privateKey: string };
  readonly command: CommandSource;
  readonly imageUrl: string;
  readonly bootstrapData: Uint8Array;
  readonly machineName: string;
  readonly registryToken: string | undefined;
  readonly deviceString: DeviceString;
  readonly timeoutMs: number;
  /** The command's output as it grows. */
  readonly output: (text: string) => void;
  /** output.json's message while the command runs (the controller's condition message). */
  readonly progress: (message: string) => void;
}

/** What the controller would conclude, in its words. */
export type DriveOutcome =
  | {
      readonly outcome: 'passed';
      readonly devices: string;
      readonly durationMs: number;
      readonly report?: CommandReport;
    }
  | {
      readonly outcome: 'failed';
      readonly reason: ReasonStrings;
      readonly message: string;
      readonly devices: string;
      readonly durationMs: number;
      readonly report?: CommandReport;
    }
  | { readonly outcome: 'not-run'; readonly message: string };

const settings = defaultSettings();
/** The sandbox has just booted; its sshd answers within moments. */
const CONNECT_DEADLINE_MS = 30_000;

/**
 * Runs the command the way an HCloudMachine does in BootingToRescue and RunningImageCommand:
 * the same rescue adapter, attempt id, start, observation every `commandPollMs`, verdicts
 * (src/provisioning/command-outcome.ts) and timeout (the state table's reason and message, the
 * command stopped and its output read as for the Warning event). The root devices follow the
 * bare-metal rules with every sandbox disk hinted (one disk: `wwn`, more: `raid.wwn`).
 */
export async function driveCommand(input: DriveInput): Promise<DriveOutcome> {
  const access = rescueAccess({
    rescue: input.rescue,
    host: input.sandbox.address,
    hostSource: 'the sandbox',
    port: input.sandbox.port,
    privateKey: input.sandbox.privateKey,
    deadlineMs: CONNECT_DEADLINE_MS,
    registryToken: input.registryToken,
    imageUrl: input.imageUrl,
    attemptPrefix: 'hcloud',
    serverId: 1,
  });
  let session: RescueSession;
  try {
    session = await connectAccess(access);
  } catch (error) {
    return { outcome: 'not-run', message: `cannot reach the sandbox's rescue system: ${messageOf(error)}` };
  }
  try {
    return await startAndWatch(input, { ...access, pinnedHostKey: session.hostKeyFingerprint }, session);
  } catch (error) {
    return { outcome: 'not-run', message: messageOf(error) };
  } finally {
    await closeQuietly(session);
  }
}

async function startAndWatch(
  input: DriveInput,
  access: RescueAccess,
  session: RescueSession,
): Promise<DriveOutcome> {
  const hostname = (await session.hostname()).trim();
  if (hostname !== 'rescue') return { outcome: 'not-run', message: `the sandbox answers as ${hostname}` };
  const devices = await rootDevices(session, input.deviceString);
  if (typeof devices === 'string') return { outcome: 'not-run', message: devices };
  const id = attemptId(access.attemptPrefix, access.serverId, session.hostKeyFingerprint);
  const shown = devices.join(' ');
  try {
    await session.startImageUrlCommand({
      attemptId: id,
      command: input.command,
      imageUrl: input.imageUrl,
      bootstrapData: input.bootstrapData,
      machineName: input.machineName,
      rootDevices: devices,
      ...(input.registryToken === undefined ? {} : { registryToken: input.registryToken }),
    });
  } catch (error) {
    const result = commandStartFailed(error, session.hostKeyFingerprint);
    return outcomeOf(result, shown, 0) ?? { outcome: 'not-run', message: messageOf(error) };
  }
  return watch(input, { access, session, attemptId: id, devices: shown });
}

interface Started {
  readonly access: RescueAccess;
  readonly session: RescueSession;
  readonly attemptId: string;
  readonly devices: string;
}

/** RunningImageCommand: the timeout is checked before each look, as the dispatcher does. */
async function watch(input: DriveInput, started: Started): Promise<DriveOutcome> {
  const startedAt = Date.now();
  const live = new LiveOutput(input.output);
  for (;;) {
    const elapsedMs = Date.now() - startedAt;
    if (elapsedMs > input.timeoutMs) {
      const outcome = await timedOut(started.access, started.devices, elapsedMs);
      if (outcome.report?.log) live.update(outcome.report.log);
      return outcome;
    }
    const observation = await started.session.observe({ attemptId: started.attemptId });
    live.update(observation.log);
    const result = judged(input, observation);
    const outcome = result && outcomeOf(result, started.devices, Date.now() - startedAt);
    if (outcome) return outcome;
    await sleep(settings.requeue.commandPollMs);
  }
}

/** The controller's step result for one observation; undefined for an error it would retry. */
function judged(input: DriveInput, observation: ImageUrlCommandObservation): StepResult | undefined {
  try {
    const result = commandObserved(observation, settings.requeue);
    const message = result.changes?.conditions?.[0]?.message;
    if (result.kind === 'continue' && message !== undefined) input.progress(message);
    return result;
  } catch (error) {
    // The controller retries such an error until the state's timeout; so does the watch.
    if (!isProvisioningError(error)) throw error;
    input.progress(`retrying: ${error.message}`);
    return undefined;
  }
}

function outcomeOf(result: StepResult, devices: string, durationMs: number): DriveOutcome | undefined {
  const report = 'command' in result ? result.command : undefined;
  const extras = { devices, durationMs, ...(report === undefined ? {} : { report }) };
  if (result.kind === 'advance') return { outcome: 'passed', ...extras };
  if (result.kind !== 'failed') return undefined;
  return { outcome: 'failed', reason: reasonStrings(result.reason), message: result.message, ...extras };
}

/** The dispatcher's decision for a command past its timeout, and the report it gets for its event. */
async function timedOut(
  access: RescueAccess,
  devices: string,
  elapsedMs: number,
): Promise<DriveOutcome & { readonly outcome: 'failed' }> {
  const timeout = bootStateTable.RunningImageCommand.timeout;
  const message = timeoutMessage(timeout, goDuration(elapsedMs));
  const report = await timedOutCommandReport(message, {
    access: () => access,
    deadlineMs: settings.timeoutProbeDeadlineMs,
    graceMs: settings.stopGraceMs,
  });
  const reason = reasonStrings(timeout.reason);
  return { outcome: 'failed', reason, message, devices, durationMs: elapsedMs, report };
}
