import { conditionFalse } from './conditions.js';
import { MIN_GAP_MS } from './look-schedule.js';
import { hcloudReasons } from './reasons.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';
import { wakeOnAnswer } from './wake-look.js';

/** The kind whose past durations say when a rescue system answers after the power-on. */
const RESCUE_BOOT = 'rescue_boot';
/** Probing begins this long before the earliest answer seen, in case this boot is quicker. */
const LEAD_MS = 1_000;
/** Between two banner probes (each starts a fresh connection attempt; none is waited for). */
const PROBE_INTERVAL_MS = 250;
/**
 * When the banner watch wakes the machine as the banner appears: the next look comes only this
 * late, to keep the watch going (it tries in the background meanwhile, without a reconcile).
 */
const WOKEN_FALLBACK_MS = 5_000;

const bootKey = (serverId: number): string => `rescue-boot:${serverId}`;

/** After the power-on into rescue: milliseconds until the first look (no probe before the earliest boot seen). */
export function planRescueBoot(ctx: StepContext, serverId: number): number {
  const nowMs = ctx.now.getTime();
  const expected = ctx.waits.expected(RESCUE_BOOT);
  const afterMs = expected ? Math.max(MIN_GAP_MS, expected.minMs - LEAD_MS) : PROBE_INTERVAL_MS;
  ctx.waits.plan(bootKey(serverId), { atMs: nowMs + afterMs, startedMs: nowMs, looks: 0 });
  return afterMs;
}

/**
 * While the server boots into rescue: a continue when its SSH shows no banner yet (asked in the
 * background, so a server that drops connection attempts never holds this worker), undefined
 * when it answers (then SSH for real). Without a banner watch, always undefined.
 */
export function rescueNotAnsweringYet(ctx: StepContext, serverId: number): StepResult | undefined {
  const host = ctx.status.addresses?.[0]?.address;
  if (ctx.banners === undefined || host === undefined) return undefined;
  const key = bootKey(serverId);
  const nowMs = ctx.now.getTime();
  const planned = ctx.waits.plannedLook(key);
  if (planned !== undefined && planned.atMs > nowMs) return { kind: 'continue', after: planned.atMs - nowMs };
  return probe(ctx, { key, host, nowMs, planned });
}

function probe(
  ctx: StepContext,
  look: {
    readonly key: string;
    readonly host: string;
    readonly nowMs: number;
    readonly planned: ReturnType<StepContext['waits']['plannedLook']>;
  },
): StepResult | undefined {
  const { key, host, nowMs, planned } = look;
  if (ctx.banners?.answering(host, ctx.settings.rescuePort, wakeOnAnswer(ctx, key)) !== false) {
    if (planned !== undefined) ctx.waits.learn(RESCUE_BOOT, nowMs - planned.startedMs);
    ctx.waits.forget(key);
    return undefined;
  }
  const startedMs = planned?.startedMs ?? nowMs;
  const after = ctx.wake === undefined ? PROBE_INTERVAL_MS : WOKEN_FALLBACK_MS;
  ctx.waits.plan(key, { atMs: nowMs + after, startedMs, looks: (planned?.looks ?? 0) + 1 });
  const message = 'the rescue system does not answer SSH yet; retrying';
  const reason = hcloudReasons.ServerProvisioned.RetryingSSHConnection;
  return {
    kind: 'continue',
    after,
    message,
    changes: { conditions: [conditionFalse(reason, message, 'Info')] },
  };
}
