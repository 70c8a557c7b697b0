import { RobotError } from '../../ports/robot-errors.js';
import type { RobotServers } from '../../ports/robot-servers.js';

/**
 * The Robot port of a host whose HetznerCluster or Robot credentials cannot be read: every call
 * rejects with ROBOT_UNAUTHORIZED, which the core shows as RobotCredentialsInvalid and retries
 * only when something changes (the Secret's watch brings the host back). An available host
 * makes no Robot call at all, so it is not held up.
 */
export function unavailableRobot(message: string): RobotServers {
  const reject = (): Promise<never> => Promise.reject(new RobotError('ROBOT_UNAUTHORIZED', message));
  return {
    getServer: reject,
    renameServer: reject,
    getRescue: reject,
    activateRescue: reject,
    deactivateRescue: reject,
    getResetOptions: reject,
    reset: reject,
    listSshKeys: reject,
    findSshKey: reject,
    createSshKey: reject,
  };
}
