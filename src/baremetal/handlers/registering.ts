import type { RescueDisk } from '../../ports/rescue-system.js';
import { isRescueError } from '../../ports/rescue-errors.js';
import { closeQuietly, connectAccess } from '../../image-url/rescue-attempt.js';
import { hostKeyNotFromRobot, notInRescueYet } from '../rescue-wait.js';
import { hostRescueAccess } from '../rescue-access.js';
import { provision, stillProvisioning } from '../reasons.js';
import { requestOf } from '../request.js';
import { checkRootDevices, storageOf } from '../root-devices.js';
import type { HostStepContext, HostStepResult } from '../step-context.js';

/**
 * registering: wait until the rescue system answers as `rescue` (escalating a reset that did
 * not take to a hardware reset), pin its host key, read the disks into
 * `hardwareDetails.storage` and check `rootDeviceHints` against them and the machine's swraid.
 * When Robot's activation gave host keys, the first connection must present one of them.
 */
export async function handleRegistering(ctx: HostStepContext): Promise<HostStepResult> {
  const request = requestOf(ctx);
  let session;
  try {
    session = await connectAccess(hostRescueAccess(ctx, { unpinned: true }));
  } catch (error) {
    if (!isRescueError(error)) throw error;
    if (isRescueError(error, 'SSH_HOST_KEY_MISMATCH')) return hostKeyNotFromRobot(ctx, error);
    return notInRescueYet(ctx, error);
  }
  try {
    const hostname = (await session.hostname()).trim();
    if (hostname !== 'rescue')
      return await notInRescueYet(ctx, `the server answers as ${JSON.stringify(hostname)}`);
    const disks = await session.disks();
    return registered(ctx, { swraid: request.swraid, pin: session.hostKeyFingerprint, disks });
  } catch (error) {
    if (!isRescueError(error)) throw error;
    return await notInRescueYet(ctx, error);
  } finally {
    await closeQuietly(session);
  }
}

interface Found {
  readonly swraid: 0 | 1;
  readonly pin: string;
  readonly disks: readonly RescueDisk[];
}

function registered(ctx: HostStepContext, found: Found): HostStepResult {
  const storage = storageOf(found.disks);
  const problem = checkRootDevices(ctx.input.rootDeviceHints, found.swraid, found.disks);
  if (problem)
    return {
      kind: 'failed',
      reason: provision(problem.problem),
      message: problem.message,
      changes: { storage },
    };
  return {
    kind: 'advance',
    to: 'image-installing',
    after: ctx.settings.requeue.immediateMs,
    message: 'Reached the rescue system',
    changes: {
      storage,
      rescueHostKey: found.pin,
      rebootTriggeredAt: null,
      lastReboot: null,
      conditions: [stillProvisioning(ctx.input.name, 'image-installing')],
    },
  };
}
