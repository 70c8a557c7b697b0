import { createHash } from 'node:crypto';
import { exponentialDelayMs } from '../util/backoff.js';
import type { CreateRejection } from './machine.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';

/**
 * What a create answer Hetzner will repeat means for the next call (#18):
 * - `permanent`: the request itself is wrong (`invalid_input`: unknown server type, location or
 *   image, bad field). The same request is refused however often it is sent, so it is not sent
 *   again until the spec fields it is made of change.
 * - `later`: the request is fine but cannot be served now (quota `resource_limit_exceeded`,
 *   `resource_unavailable`, a full placement group, an image that is `not_found` yet). Hetzner or
 *   an operator must act; asked again after a long, growing, capped wait.
 */
export type RejectionKind = 'permanent' | 'later';

/**
 * The waits of `later`: `createNotPossibleMs` doubling up to six times it; with the default
 * 5 minutes: 5, 10, 20, 30, 30 … minutes (then one call per machine and half hour).
 */
export function laterWaitMs(ctx: StepContext, count: number): number {
  const baseMs = ctx.settings.requeue.createNotPossibleMs;
  return exponentialDelayMs({ baseMs, capMs: 6 * baseMs }, count - 1);
}

/**
 * The spec fields the create request is made of (and the controller's base image), as a digest: a
 * different digest is a different request, which may succeed where the rejected one did not.
 * Secrets (bootstrap data, keys) are not part of it.
 */
export function createRequestDigest(ctx: StepContext): string {
  const { input } = ctx;
  const request = [
    input.serverType,
    input.imageName ?? ctx.settings.baseImage,
    input.imageUrl,
    input.commandName,
    input.location ?? null,
    input.publicNetwork ?? null,
    input.placementGroup ?? null,
    input.networkIds ?? [],
    input.sshKeys,
  ];
  return createHash('sha256').update(JSON.stringify(request)).digest('hex').slice(0, 32);
}

/** The rejection to record: when to ask again (never, for the same request, when permanent). */
export function recordRejection(ctx: StepContext, kind: RejectionKind): CreateRejection {
  const request = createRequestDigest(ctx);
  const previous = ctx.status.createRejection;
  const count = previous?.request === request ? previous.count + 1 : 1;
  const base = { request, at: ctx.now, count };
  if (kind === 'permanent') return base;
  return { ...base, retryAt: new Date(ctx.now.getTime() + laterWaitMs(ctx, count)) };
}

/**
 * Checked before the unset state's clock and before any API call: a request Hetzner rejected is
 * not sent again, a permanent rejection until the spec changes (no requeue: the spec change
 * itself triggers the next reconcile), a `later` one until its wait is over. The condition set
 * at the rejection stays as it is.
 */
export function rejectedCreateHold(ctx: StepContext): StepResult | undefined {
  const rejection = ctx.status.createRejection;
  if (ctx.status.bootState !== '' || rejection === undefined) return undefined;
  const request = createRequestDigest(ctx);
  if (rejection.request !== request) {
    // A new request: due now, and the unset state's clock starts again from here.
    const reopened: CreateRejection = { request, at: ctx.now, count: 0, retryAt: ctx.now };
    return {
      kind: 'continue',
      after: ctx.settings.requeue.immediateMs,
      message: 'The spec changed since Hetzner rejected the create request; creating the server again',
      changes: { createRejection: reopened },
    };
  }
  if (rejection.retryAt === undefined) {
    return { kind: 'blocked', message: 'Hetzner rejected this create request; waiting for a spec change' };
  }
  const leftMs = rejection.retryAt.getTime() - ctx.now.getTime();
  if (leftMs <= 0) return undefined;
  return {
    kind: 'continue',
    after: leftMs,
    message: 'Waiting before asking Hetzner to create the server again',
  };
}

/**
 * Where the unset state's timeout counts from once a create was rejected: the moment the next
 * create became due (its wait over, or the spec changed), so waiting for quota or for a fixed spec
 * never times the machine out (which would fail it and make Cluster API replace it, only for the
 * new machine to be rejected the same way).
 */
export function createDueSince(ctx: StepContext): Date | undefined {
  const rejection = ctx.status.createRejection;
  return rejection?.retryAt ?? rejection?.at;
}
