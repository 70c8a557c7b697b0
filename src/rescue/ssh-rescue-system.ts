import type { RescueSession, RescueSystem, RescueTarget } from '../ports/rescue-system.js';
import { connectWithRetries, type ConnectSettings } from './connect.js';
import { SessionContext } from './session-context.js';
import { SshRescueSession } from './ssh-rescue-session.js';

export interface SshRescueSettings extends ConnectSettings {
  /** Budget for one fixed remote command (hostname, lsblk, launcher status). */
  readonly commandTimeoutMs: number;
}

/**
 * Defaults: a dead connection is noticed after ~15-20 s of silence (keepalive every 5 s, three
 * unanswered); one try gets 10 s, as a rescue sshd that accepts TCP answers within moments.
 */
export const defaultSshRescueSettings: SshRescueSettings = {
  tryTimeoutMs: 10_000,
  keepaliveIntervalMs: 5_000,
  keepaliveCountMax: 3,
  defaultDeadlineMs: 30_000,
  commandTimeoutMs: 30_000,
};

/** The rescue port on ssh2. */
export function createSshRescueSystem(settings: Partial<SshRescueSettings> = {}): RescueSystem {
  const effective = { ...defaultSshRescueSettings, ...settings };
  return {
    async connect(target: RescueTarget): Promise<RescueSession> {
      const connection = await connectWithRetries(target, effective);
      const context = new SessionContext(connection, target.secrets ?? [], {
        commandMs: effective.commandTimeoutMs,
      });
      return new SshRescueSession(context);
    },
  };
}
