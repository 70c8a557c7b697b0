import type { z } from 'zod';
import { RobotError } from '../../ports/robot-errors.js';
import type {
  RobotRescue,
  RobotResetOptions,
  RobotResetType,
  RobotServer,
  RobotSshKey,
} from '../../ports/robot-servers.js';
import { readRescueHostKeys } from './rescue-host-keys.js';
import type { WireReset, WireRescue, WireServer, WireSshKey } from './wire-schemas.js';

/**
 * Checks an answer's shape; a surprise is `ROBOT_UNEXPECTED_RESPONSE` naming the operation and
 * where it differed, never the body (it may hold a rescue password).
 */
export function parseAnswer<T>(schema: z.ZodType<T>, body: unknown, operation: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues[0]?.path.join('.') ?? '';
  throw new RobotError(
    'ROBOT_UNEXPECTED_RESPONSE',
    `robot ${operation}: unexpected answer from Robot (at '${where}')`,
  );
}

export function toRobotServer(server: WireServer): RobotServer {
  return {
    serverNumber: server.server_number,
    name: server.server_name,
    ...(server.server_ip ? { ipv4: server.server_ip } : {}),
    ...(server.server_ipv6_net ? { ipv6Network: server.server_ipv6_net } : {}),
    product: server.product,
    datacenter: server.dc,
    // hrobot-rs models the second state as `in progress`: anything but `ready` is not ready.
    status: server.status === 'ready' ? 'ready' : 'in process',
    cancelled: server.cancelled,
    rescueAvailable: server.rescue ?? false,
    resetAvailable: server.reset ?? false,
  };
}

/** `os` is a list of choices while inactive, the chosen system while active. */
export function toRobotRescue(rescue: WireRescue): RobotRescue {
  const os = rescue.active && typeof rescue.os === 'string' ? rescue.os : undefined;
  const hostKeys = readRescueHostKeys(rescue.host_key);
  return {
    serverNumber: rescue.server_number,
    active: rescue.active,
    ...(os === undefined ? {} : { os }),
    authorizedKeyFingerprints: (rescue.authorized_key ?? []).map((entry) => entry.key.fingerprint),
    ...(hostKeys.fingerprints.length === 0 ? {} : { hostKeyFingerprints: hostKeys.fingerprints }),
    ...(hostKeys.unreadable === 0 ? {} : { unreadableHostKeys: hostKeys.unreadable }),
  };
}

const resetTypes: ReadonlySet<string> = new Set<RobotResetType>(['sw', 'hw', 'power', 'power_long', 'man']);

export function toRobotResetOptions(reset: WireReset, serverNumber: number): RobotResetOptions {
  const offered = typeof reset.type === 'string' ? [reset.type] : reset.type;
  return {
    serverNumber: reset.server_number ?? serverNumber,
    types: offered.filter((type): type is RobotResetType => resetTypes.has(type)),
    ...(reset.operating_status ? { operatingStatus: reset.operating_status } : {}),
  };
}

export function toRobotSshKey(key: WireSshKey): RobotSshKey {
  return { name: key.name, fingerprint: key.fingerprint, type: key.type, size: key.size };
}
