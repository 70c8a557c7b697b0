import { createHash } from 'node:crypto';
import type { RescueSession } from '../ports/rescue-system.js';
import { isRescueError } from '../ports/rescue-errors.js';
import { ProvisioningError } from './errors.js';
import type { StepContext } from './step-context.js';

export interface ConnectOptions {
  /** Budget for connecting, retries included (default: settings.rescueConnectDeadlineMs). */
  readonly deadlineMs?: number;
}

/**
 * Opens a session to the machine's first address as root, pinned to the host key in status
 * when there is one (TOFU per rescue boot: the first contact pins, every later one must match).
 * The registry token is named as a secret so a session opened only to observe redacts it too.
 */
export async function connectRescue(ctx: StepContext, options: ConnectOptions = {}): Promise<RescueSession> {
  const host = ctx.status.addresses?.[0]?.address;
  if (host === undefined) {
    throw new ProvisioningError(
      'STATUS_INCOMPLETE',
      'status.addresses is empty: no address to reach the server at',
    );
  }
  const key = ctx.input.rescueKey;
  if (key.status !== 'available') {
    throw new ProvisioningError('STATUS_INCOMPLETE', 'no rescue SSH private key is available');
  }
  const token = ctx.input.registryToken;
  return ctx.rescue.connect({
    host,
    port: ctx.settings.rescuePort,
    privateKey: key.privateKey,
    deadlineMs: options.deadlineMs ?? ctx.settings.rescueConnectDeadlineMs,
    ...(ctx.status.rescueHostKey === undefined ? {} : { pinnedHostKey: ctx.status.rescueHostKey }),
    ...(token ? { secrets: [token] } : {}),
  });
}

/** Closes a session; a session that is already gone (after reboot, a lost link) is fine. */
export async function closeQuietly(session: RescueSession): Promise<void> {
  await session.close().catch(() => undefined);
}

/**
 * The command's attempt id: the server and the rescue boot, named by its host key. Both are
 * stable across controller restarts (even if the pin itself was never persisted, the same boot
 * presents the same key), so a restart never starts the command a second time on one boot.
 */
export function attemptIdOf(serverId: number, hostKeyFingerprint: string): string {
  const boot = createHash('sha256').update(hostKeyFingerprint).digest('hex').slice(0, 16);
  return `hcloud-${serverId}-${boot}`;
}

/** The SSH failures that mean "the system is not (yet) answering", as opposed to a broken one. */
export function isNotAnsweringYet(error: unknown): boolean {
  return (
    isRescueError(error, 'SSH_REFUSED') ||
    isRescueError(error, 'SSH_UNREACHABLE') ||
    isRescueError(error, 'SSH_TIMEOUT')
  );
}

/** A session to this attempt's rescue boot, with the attempt id it runs. */
export interface AttemptSession {
  readonly session: RescueSession;
  readonly attemptId: string;
  /** Set when the pin was missing from status (status lost) and was taken again now. */
  readonly repinned?: string;
}

/**
 * Reconnects to the rescue boot the command was started on. With a pin in status only that
 * boot is accepted; without one (status rebuilt from scratch) the system must first answer
 * `rescue` again, and its key is pinned anew. Resolves with the session, or with the hostname
 * that was found instead.
 */
export async function openAttemptSession(
  ctx: StepContext,
  serverId: number,
  options: ConnectOptions = {},
): Promise<AttemptSession | { readonly hostname: string }> {
  const session = await connectRescue(ctx, options);
  const pin = session.hostKeyFingerprint;
  if (ctx.status.rescueHostKey !== undefined) return { session, attemptId: attemptIdOf(serverId, pin) };
  const hostname = await session.hostname().catch(async (error: unknown) => {
    await closeQuietly(session);
    throw error;
  });
  if (hostname.trim() !== 'rescue') {
    await closeQuietly(session);
    return { hostname: hostname.trim() };
  }
  return { session, attemptId: attemptIdOf(serverId, pin), repinned: pin };
}
