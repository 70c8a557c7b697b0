import { isRobotError } from '../ports/robot-errors.js';
import type {
  RobotRescue,
  RobotResetOptions,
  RobotResetRequest,
  RobotServers,
} from '../ports/robot-servers.js';
import type { RobotKeyRef } from './host.js';

/**
 * The rescue key as Robot stores it. Robot identifies keys by fingerprint, so a key stored
 * under another name is used as it is (CAPH fails preparing then); a key uploaded concurrently
 * (`KEY_ALREADY_EXISTS`) is looked up again.
 */
export async function ensureRescueKey(
  robot: RobotServers,
  key: { readonly name: string; readonly publicKey: string },
): Promise<RobotKeyRef> {
  const found = await robot.findSshKey({ publicKey: key.publicKey });
  if (found) return { name: found.name, fingerprint: found.fingerprint };
  try {
    const created = await robot.createSshKey({ name: key.name, publicKey: key.publicKey });
    return { name: created.name, fingerprint: created.fingerprint };
  } catch (error) {
    if (!isRobotError(error, 'ROBOT_CONFLICT')) throw error;
    const raced = await robot.findSshKey({ publicKey: key.publicKey });
    if (raced === undefined) throw error;
    return { name: raced.name, fingerprint: raced.fingerprint };
  }
}

/**
 * Arms the rescue system for the next boot with exactly this key. An activation left armed
 * (by an earlier attempt, maybe with other keys) is disarmed first: one call in the common
 * case instead of CAPH's delete-then-set on every attempt. Resolves with the activation answer
 * (its host keys, when Robot gives any, vouch for the rescue system that boots).
 */
export async function armRescue(
  robot: RobotServers,
  serverNumber: number,
  fingerprint: string,
): Promise<RobotRescue> {
  const input = { serverNumber, authorizedKeyFingerprints: [fingerprint] };
  try {
    return await robot.activateRescue(input);
  } catch (error) {
    if (!isRobotError(error, 'ROBOT_CONFLICT')) throw error;
    await robot.deactivateRescue({ serverNumber });
    return robot.activateRescue(input);
  }
}

/** How preparing words what Robot vouched for, for the step's (debug) log line. */
export function hostKeysNote(rescue: RobotRescue): string {
  const given = rescue.hostKeyFingerprints?.length ?? 0;
  const unreadable = rescue.unreadableHostKeys ?? 0;
  const skipped = unreadable === 0 ? '' : `; ${unreadable} host_key entries in an unknown form were ignored`;
  if (given === 0) return `Robot gave no rescue host key to check against (trust on first use)${skipped}`;
  return `the rescue system must present one of the ${given} host keys Robot gave${skipped}`;
}

/** The reset that boots the armed rescue system: power on a server that is off, else sw, else hw. */
export function resetTypeFor(options: RobotResetOptions): RobotResetRequest {
  const offered = new Set(options.types);
  if (options.operatingStatus === 'shut off' && offered.has('power')) return 'power';
  return offered.has('sw') ? 'sw' : 'hw';
}

/** The server's IPv6 from Robot's /64 network: the network + 1, as CAPH stores it. */
export function hostIpv6(network: string | undefined): string | undefined {
  if (network === undefined || network === '') return undefined;
  const base = network.replace(/\/\d+$/, '');
  return base.endsWith('::') ? `${base}1` : base;
}
