import { isRobotError } from '../ports/robot-errors.js';
import type { RobotResetOptions, RobotResetRequest, RobotServers } from '../ports/robot-servers.js';
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
 * case instead of CAPH's delete-then-set on every attempt.
 */
export async function armRescue(
  robot: RobotServers,
  serverNumber: number,
  fingerprint: string,
): Promise<void> {
  const input = { serverNumber, authorizedKeyFingerprints: [fingerprint] };
  try {
    await robot.activateRescue(input);
  } catch (error) {
    if (!isRobotError(error, 'ROBOT_CONFLICT')) throw error;
    await robot.deactivateRescue({ serverNumber });
    await robot.activateRescue(input);
  }
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
