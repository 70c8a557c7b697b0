import { IMAGE_URL_COMMAND_TIMEOUT_MS } from '../image-url/command-timeout.js';
import { sharedDefaults } from '../image-url/defaults.js';
import { withOverrides, type OverridesOf } from '../state-machine/index.js';
import type { HostState } from './host-state.js';

const second = 1000;
const minute = 60 * second;

/**
 * The bare-metal table's default timeouts. The command's is 7 minutes (IMAGE_URL_COMMAND_TIMEOUT_MS), the same
 * setting as hcloud's RunningImageCommand (the controller's --image-url-command-timeout sets
 * both), but counted from the command's own start.
 */
export const hostTimeoutDefaults = {
  registering: 15 * minute,
  imageInstalling: IMAGE_URL_COMMAND_TIMEOUT_MS,
  ensureProvisioned: 10 * minute,
} as const;

/** When to look again, per situation; all in milliseconds. */
export interface HostRequeueSettings {
  /** After a step that changed something and can go on at once. */
  readonly immediateMs: number;
  /** The rescue key secret is missing. */
  readonly secretMissingMs: number;
  /** After a reset or reboot, before the first look (CAPH's rebootWaitTime: 15 s). */
  readonly rebootWaitMs: number;
  /** While the rescue system does not answer yet (CAPH: 10 s). */
  readonly rescuePollMs: number;
  /**
   * A software (or power) reset that has not consumed the rescue activation by then did not
   * take: reset by hardware (CAPH escalates after 10 min; the activation tells us sooner).
   */
  readonly resetEscalationMs: number;
  /** The imageURLCommand file is missing or unusable: looked at again this often. */
  readonly commandMissingMs: number;
  /** After the command was started (CAPH: 55 s). */
  readonly afterCommandStartMs: number;
  /** While the command runs (CAPH: 10 s). */
  readonly commandPollMs: number;
  /** A transient SSH failure while the command runs: look again, keep the host as it is. */
  readonly sshRetryMs: number;
  /** While waiting for the installed OS to answer with its hostname. */
  readonly osPollMs: number;
}

export interface BareMetalSettings {
  /** Per-state timeout overrides (`image-installing` is the command timeout). */
  readonly timeoutsMs: Readonly<Partial<Record<HostState, number>>>;
  readonly requeue: HostRequeueSettings;
  /** Error backoff: `baseMs * 2^(errors-1)`, at most `capMs` (src/state-machine/step-result.ts). */
  readonly backoff: { readonly baseMs: number; readonly capMs: number };
  /** SSH port of the rescue system. */
  readonly rescuePort: number;
  /** Connect budget per reconcile (CAPH: 5 s): a reconcile never blocks long on SSH. */
  readonly rescueConnectDeadlineMs: number;
  /** On a command timeout or deprovisioning: budget to stop the command and fetch its output. */
  readonly stopDeadlineMs: number;
  readonly stopGraceMs: number;
  /** Event messages stay within this (events.k8s.io: 1 KiB per note). */
  readonly eventMessageLimitBytes: number;
  /**
   * Ours: how often a server whose rescue system did not answer within registering's timeout
   * is reset (sw, then hw), each with a fresh timeout, before the host fails.
   */
  readonly rescueBootResets: number;
}

export function defaultBareMetalSettings(): BareMetalSettings {
  return {
    timeoutsMs: {},
    requeue: {
      immediateMs: 1 * second,
      secretMissingMs: 1 * minute,
      rebootWaitMs: 15 * second,
      rescuePollMs: 5 * second,
      resetEscalationMs: 5 * minute,
      commandMissingMs: 1 * minute,
      afterCommandStartMs: 5 * second,
      commandPollMs: 5 * second,
      sshRetryMs: 5 * second,
      osPollMs: 5 * second,
    },
    stopDeadlineMs: 10 * second,
    rescueBootResets: 2,
    ...sharedDefaults,
  };
}

/** Any setting, and requeue values one by one. */
export type BareMetalSettingsOverrides = OverridesOf<BareMetalSettings>;

export function resolveBareMetalSettings(overrides: BareMetalSettingsOverrides = {}): BareMetalSettings {
  return withOverrides(defaultBareMetalSettings(), overrides);
}
