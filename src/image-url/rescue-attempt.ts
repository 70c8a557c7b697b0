import { createHash } from 'node:crypto';
import type { CommandLogTail, RescueSession, RescueSystem } from '../ports/rescue-system.js';
import { isRescueError } from '../ports/rescue-errors.js';
import { commandSecrets } from './command-secrets.js';
import { ProvisioningError, messageOf } from './errors.js';

/**
 * How to reach one rescue boot, whatever machine asks (an hcloud server or a dedicated one):
 * the shared part of the rescue protocol both boot machines follow.
 */
export interface RescueAccess {
  readonly rescue: RescueSystem;
  readonly host: string;
  readonly port: number;
  readonly privateKey: string;
  /** The host key pinned for this attempt (TOFU per rescue boot), if one was taken already. */
  readonly pinnedHostKey?: string;
  /** Host keys the provider vouched for this boot (Robot's activation answer), if it gave any. */
  readonly expectedHostKeys?: readonly string[];
  /** Connect budget, retries included (CAPH: 5 s), so a reconcile never blocks long on SSH. */
  readonly deadlineMs: number;
  /** Values to redact from everything the session returns (the registry token, URL credentials). */
  readonly secrets: readonly string[];
  /** Names the attempt's machine kind in attempt ids (`hcloud`, `bm`). */
  readonly attemptPrefix: string;
  readonly serverId: number;
}

/** What a machine knows about reaching its rescue system; `rescueAccess` checks it is enough. */
export interface AccessParts extends Omit<RescueAccess, 'host' | 'privateKey' | 'secrets'> {
  readonly host: string | undefined;
  /** Where the address comes from, to name it when it is missing (`status.addresses`). */
  readonly hostSource: string;
  /** The rescue private key, undefined when its secret is not available. */
  readonly privateKey: string | undefined;
  /** OCI_REGISTRY_AUTH_TOKEN, redacted from everything the session returns. */
  readonly registryToken: string | undefined;
  /** The image URL; its credential parts are redacted too (./command-secrets.ts). */
  readonly imageUrl: string;
}

/** The access, or STATUS_INCOMPLETE when the status or the secrets lack what SSH needs. */
export function rescueAccess(parts: AccessParts): RescueAccess {
  const { host, privateKey, registryToken, pinnedHostKey, expectedHostKeys } = parts;
  if (host === undefined) {
    throw new ProvisioningError(
      'STATUS_INCOMPLETE',
      `${parts.hostSource} is empty: no address to reach the server at`,
    );
  }
  if (privateKey === undefined) {
    throw new ProvisioningError('STATUS_INCOMPLETE', 'no rescue SSH private key is available');
  }
  return {
    rescue: parts.rescue,
    host,
    port: parts.port,
    privateKey,
    deadlineMs: parts.deadlineMs,
    secrets: commandSecrets({ registryToken, imageUrl: parts.imageUrl }),
    attemptPrefix: parts.attemptPrefix,
    serverId: parts.serverId,
    ...(pinnedHostKey === undefined ? {} : { pinnedHostKey }),
    ...(expectedHostKeys === undefined || expectedHostKeys.length === 0 ? {} : { expectedHostKeys }),
  };
}

/** Why a changed rescue host key ends the attempt (the same words for every machine). */
export function hostKeyChangedMessage(error: unknown): string {
  return (
    `The rescue system's host key differs from the one pinned for this provisioning attempt ` +
    `(a new boot, or someone in between): ${messageOf(error)}`
  );
}

/** Opens a session as root, pinned to the host key in `access` when there is one. */
export function connectAccess(access: RescueAccess, deadlineMs = access.deadlineMs): Promise<RescueSession> {
  return access.rescue.connect({
    host: access.host,
    port: access.port,
    privateKey: access.privateKey,
    deadlineMs,
    ...(access.pinnedHostKey === undefined ? {} : { pinnedHostKey: access.pinnedHostKey }),
    ...(access.expectedHostKeys === undefined ? {} : { expectedHostKeys: access.expectedHostKeys }),
    ...(access.secrets.length > 0 ? { secrets: access.secrets } : {}),
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
export function attemptId(prefix: string, serverId: number, hostKeyFingerprint: string): string {
  const boot = createHash('sha256').update(hostKeyFingerprint).digest('hex').slice(0, 16);
  return `${prefix}-${serverId}-${boot}`;
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
  /** Set when the pin was missing (status lost) and was taken again now. */
  readonly repinned?: string;
}

/**
 * Reconnects to the rescue boot the command was started on. With a pin only that boot is
 * accepted; without one (status rebuilt from scratch) the system must first answer `rescue`
 * again, and its key is pinned anew. Resolves with the session, or with the hostname found instead.
 */
export async function openAttempt(
  access: RescueAccess,
  deadlineMs?: number,
): Promise<AttemptSession | { readonly hostname: string }> {
  const session = await connectAccess(access, deadlineMs);
  const pin = session.hostKeyFingerprint;
  const id = attemptId(access.attemptPrefix, access.serverId, pin);
  if (access.pinnedHostKey !== undefined) return { session, attemptId: id };
  const hostname = await session.hostname().catch(async (error: unknown) => {
    await closeQuietly(session);
    throw error;
  });
  if (hostname.trim() !== 'rescue') {
    await closeQuietly(session);
    return { hostname: hostname.trim() };
  }
  return { session, attemptId: id, repinned: pin };
}

/** What a stopped command left behind: its output, or why it could not be read. */
export type StoppedOutput = { readonly log: CommandLogTail } | { readonly unavailable: string };

/**
 * Stops the attempt's command on its pinned rescue boot and reads its output, within `deadlineMs`
 * (after a timeout, for the Warning event; on deprovisioning, so nothing keeps writing the disk).
 * Never throws: an unusable rescue system only means the output is missing, and why.
 */
export async function stopAttemptCommand(
  access: RescueAccess,
  budget: { readonly deadlineMs: number; readonly graceMs: number },
): Promise<StoppedOutput> {
  if (access.pinnedHostKey === undefined) {
    return { unavailable: 'the command was never started on a pinned rescue system' };
  }
  try {
    const opened = await openAttempt(access, budget.deadlineMs);
    if ('hostname' in opened)
      return { unavailable: `the server answers as ${JSON.stringify(opened.hostname)}` };
    try {
      const stopped = await opened.session.stop({ attemptId: opened.attemptId, graceMs: budget.graceMs });
      return { log: stopped.log };
    } finally {
      await closeQuietly(opened.session);
    }
  } catch (error) {
    return { unavailable: messageOf(error) };
  }
}

/**
 * Leaves the pinned rescue boot by rebooting it (the rescue activation was one-shot, so the
 * server boots its disk). `gone` when the pinned system no longer answers as itself: another
 * key answers, the connection is refused or our key is rejected, so the rescue boot is over.
 * Other failures are thrown, for the caller to retry or to fall back on a reset.
 */
export async function rebootOutOfRescue(access: RescueAccess): Promise<'rebooted' | 'gone'> {
  let session;
  try {
    session = await connectAccess(access);
  } catch (error) {
    if (isRescueBootOver(error)) return 'gone';
    throw error;
  }
  try {
    await session.reboot();
  } finally {
    await closeQuietly(session);
  }
  return 'rebooted';
}

function isRescueBootOver(error: unknown): boolean {
  return (
    isRescueError(error, 'SSH_HOST_KEY_MISMATCH') ||
    isRescueError(error, 'SSH_REFUSED') ||
    isRescueError(error, 'SSH_AUTH_FAILED')
  );
}
