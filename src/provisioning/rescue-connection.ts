import type { RescueSession } from '../ports/rescue-system.js';
import { serverIdOf } from './provider-id.js';
import {
  attemptId,
  connectAccess,
  openAttempt,
  rescueAccess,
  type AttemptSession,
  type RescueAccess,
} from '../image-url/rescue-attempt.js';
import type { StepContext } from './step-context.js';

export { closeQuietly, isNotAnsweringYet, type AttemptSession } from '../image-url/rescue-attempt.js';

export interface ConnectOptions {
  /** Budget for connecting, retries included (default: settings.rescueConnectDeadlineMs). */
  readonly deadlineMs?: number;
}

/**
 * How to reach this machine's rescue system: its first address as root, pinned to the host key
 * in status when there is one (TOFU per rescue boot). The registry token is named as a secret so
 * a session opened only to observe redacts it too.
 */
export function rescueAccessOf(
  ctx: StepContext,
  serverId = serverIdOf(ctx.status.providerID) ?? 0,
): RescueAccess {
  const key = ctx.input.rescueKey;
  return rescueAccess({
    rescue: ctx.rescue,
    host: ctx.status.addresses?.[0]?.address,
    hostSource: 'status.addresses',
    port: ctx.settings.rescuePort,
    privateKey: key.status === 'available' ? key.privateKey : undefined,
    deadlineMs: ctx.settings.rescueConnectDeadlineMs,
    registryToken: ctx.input.registryToken,
    imageUrl: ctx.input.imageUrl,
    attemptPrefix: 'hcloud',
    serverId,
    ...(ctx.status.rescueHostKey === undefined ? {} : { pinnedHostKey: ctx.status.rescueHostKey }),
  });
}

/** Opens a session to the machine's rescue system (TOFU per rescue boot: the first contact pins). */
export async function connectRescue(ctx: StepContext, options: ConnectOptions = {}): Promise<RescueSession> {
  return connectAccess(rescueAccessOf(ctx), options.deadlineMs);
}

/** The command's attempt id on hcloud: the server and the rescue boot (see rescue-attempt.ts). */
export function attemptIdOf(serverId: number, hostKeyFingerprint: string): string {
  return attemptId('hcloud', serverId, hostKeyFingerprint);
}

/** Reconnects to the rescue boot the command was started on (see openAttempt). */
export async function openAttemptSession(
  ctx: StepContext,
  serverId: number,
  options: ConnectOptions = {},
): Promise<AttemptSession | { readonly hostname: string }> {
  return openAttempt(rescueAccessOf(ctx, serverId), options.deadlineMs);
}
