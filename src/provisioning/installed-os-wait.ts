import type { HostKeySighting, SshHostKeys } from '../ports/ssh-host-keys.js';
import { conditionFalse } from './conditions.js';
import { hcloudReasons } from './reasons.js';
import type { StepContext } from './step-context.js';
import type { StepResult } from './step-result.js';
import { wakeOnAnswer } from './wake-look.js';

/** Between two looks at the SSH port (each starts one background attempt; none is waited for). */
export const PROBE_INTERVAL_MS = 250;
/**
 * When the host-key watch wakes the machine as a key appears: the next look comes only this
 * late, to learn how the port answers meanwhile (silent or refusing) for the budget's verdict.
 */
const WOKEN_FALLBACK_MS = 2_000;

/** What the SSH port says about the boot after leaving rescue. */
export type InstalledOSVerdict =
  /** Another host key than the rescue boot's: the installed OS is up. */
  | 'up'
  /** The rescue boot's key again: the disk did not boot and the server fell back into rescue. */
  | 'rescue'
  /** Nothing telling yet, within the budget. */
  | 'wait'
  /** Past the budget and the port never answered at all. */
  | 'silent'
  /** Past the budget with the port refusing: an image without an SSH server (see docs). */
  | 'no-ssh';

export interface InstalledOSLook {
  readonly sighting: HostKeySighting;
  /** `SHA256:…` of the rescue boot that was left. */
  readonly rescueKey: string;
  readonly waitedMs: number;
  readonly budgetMs: number;
  /**
   * What the port did at the latest look that learned anything (a look is often `unknown`: its
   * attempt runs in the background). Only the latest counts: the port refuses for a moment
   * while the rescue system goes down, which says nothing about the installed OS.
   */
  readonly lastAnswer?: 'silent' | 'refused';
  /**
   * Whether the port stopped answering with a key since rescue was left. Until it has, the
   * rescue key is the rescue system still on its way down (a reboot takes a moment), not a
   * disk that failed to boot.
   */
  readonly wentDown: boolean;
}

/** The decision alone, so it can be tested with any clock. */
export function installedOSVerdict(look: InstalledOSLook): InstalledOSVerdict {
  const { sighting } = look;
  if (sighting.kind === 'key' && sighting.fingerprint !== look.rescueKey) return 'up';
  if (sighting.kind === 'key' && look.wentDown) return 'rescue';
  if (look.waitedMs < look.budgetMs) return 'wait';
  if (sighting.kind === 'key') return 'rescue';
  const answer = sighting.kind === 'unknown' ? look.lastAnswer : sighting.kind;
  // Nothing heard yet in this process (a restart past the budget): one attempt's deadline first.
  if (answer === undefined) return 'wait';
  return answer === 'refused' ? 'no-ssh' : 'silent';
}

interface Observed {
  readonly verdict: InstalledOSVerdict;
  readonly waitedMs: number;
}

/** What the SSH port said after the reboot out of rescue. */
export interface InstalledOSOutcome {
  /** Still waiting, or failed. */
  readonly result?: StepResult;
  /** The installed OS answered with its own key: it runs, no API request needed to say so. */
  readonly up?: true;
  /** An image without an SSH server: the hcloud status decides; this is the condition's message. */
  readonly fallback?: string;
}

/**
 * After the reboot out of rescue: `up` when the installed OS is observed up, `fallback` when the
 * port kept refusing, otherwise the step result (wait, or fail). Without a host-key port or an
 * address, empty (the hcloud status alone decides, as before).
 */
export function installedOSNotUpYet(
  ctx: StepContext,
  look: { readonly serverId: number; readonly rescueKey: string },
): InstalledOSOutcome {
  const host = ctx.status.addresses?.[0]?.address;
  if (ctx.hostKeys === undefined || host === undefined) return {};
  const { verdict, waitedMs } = observe(ctx, ctx.hostKeys, { ...look, host });
  if (verdict === 'up') return { up: true };
  if (verdict === 'wait') return { result: stillWaiting(nextLookMs(ctx)) };
  return { ...verdictOutcome(ctx, verdict, { waitedMs, rescueKey: look.rescueKey }) };
}

function verdictOutcome(
  ctx: StepContext,
  verdict: 'no-ssh' | 'rescue' | 'silent',
  look: { readonly waitedMs: number; readonly rescueKey: string },
): InstalledOSOutcome {
  const port = ctx.settings.rescuePort;
  const { waitedMs } = look;
  switch (verdict) {
    case 'no-ssh':
      return {
        fallback:
          `SSH port ${port} kept refusing connections for ${Math.round(waitedMs / 1000)} s ` +
          'after leaving rescue; taking the hcloud status instead (an image without an SSH server?)',
      };
    case 'rescue':
      return {
        result: {
          kind: 'failed',
          reason: hcloudReasons.ServerProvisioned.InstalledOSNotBooted,
          message:
            "after the reboot out of rescue the server answered with the rescue system's host key " +
            `(${look.rescueKey}) again: the written disk did not boot`,
        },
      };
    case 'silent':
      return {
        result: {
          kind: 'failed',
          reason: hcloudReasons.ServerProvisioned.InstalledOSSilent,
          message:
            `after the reboot out of rescue nothing answered on SSH port ${port} within ` +
            `${Math.round(ctx.settings.installedOSAnswerBudgetMs / 1000)} s (--installed-os-ssh-timeout): ` +
            'the written disk did not boot',
        },
      };
  }
}

/** One look at the port (no wait), remembered in the wait book while the wait goes on. */
function observe(
  ctx: StepContext,
  hostKeys: SshHostKeys,
  look: { readonly serverId: number; readonly rescueKey: string; readonly host: string },
): Observed {
  const key = `installed-os:${look.serverId}`;
  const nowMs = ctx.now.getTime();
  const planned = ctx.waits.plannedLook(key);
  // Counted from the state's start (stored), so a restarted controller keeps the same budget.
  const startedMs = ctx.status.bootStateSince?.getTime() ?? planned?.startedMs ?? nowMs;
  const sighting = hostKeys.sighting(look.host, ctx.settings.rescuePort, wakeOnAnswer(ctx, key));
  const { lastAnswer, wentDown } = portMemory(sighting, planned);
  const waitedMs = nowMs - startedMs;
  const verdict = installedOSVerdict({
    sighting,
    rescueKey: look.rescueKey,
    waitedMs,
    budgetMs: ctx.settings.installedOSAnswerBudgetMs,
    ...(lastAnswer === undefined ? {} : { lastAnswer }),
    wentDown,
  });
  if (verdict === 'wait') {
    const looks = lastAnswer === undefined ? -1 : answerCodes.indexOf(lastAnswer);
    ctx.waits.plan(key, { atMs: nowMs + nextLookMs(ctx), startedMs, looks, wentDown });
  } else ctx.waits.forget(key);
  return { verdict, waitedMs };
}

/** The latest answer as kept in the wait book's `looks`: its index here (-1: none yet). */
const answerCodes = ['silent', 'refused'] as const;

/** What earlier looks learned, carried in the wait book. */
function portMemory(
  sighting: HostKeySighting,
  planned: ReturnType<StepContext['waits']['plannedLook']>,
): { readonly lastAnswer: 'silent' | 'refused' | undefined; readonly wentDown: boolean } {
  const answered = sighting.kind === 'silent' || sighting.kind === 'refused';
  const remembered = planned === undefined ? undefined : answerCodes[planned.looks];
  return {
    lastAnswer: answered ? sighting.kind : remembered,
    wentDown: (planned?.wentDown ?? false) || answered,
  };
}

const nextLookMs = (ctx: StepContext): number =>
  ctx.wake === undefined ? PROBE_INTERVAL_MS : WOKEN_FALLBACK_MS;

function stillWaiting(afterMs: number): StepResult {
  const message = 'waiting for the installed operating system to answer SSH';
  const reason = hcloudReasons.ServerProvisioned.BootingToRealOS;
  return {
    kind: 'continue',
    after: afterMs,
    message,
    changes: { conditions: [conditionFalse(reason, message, 'Info')] },
  };
}
