import { sharedDefaults } from '../image-url/defaults.js';
import { withOverrides, type OverridesOf } from '../state-machine/index.js';
import type { BootState } from './boot-state.js';

const second = 1000;
const minute = 60 * second;

/**
 * When to look again, per situation (CAPH's requeue delays in `pkg/services/hcloud/server/server.go`,
 * unless marked ours).
 * All in milliseconds. Waiting for a create or enable-rescue action and for the rescue system
 * to answer after the power-on has no fixed delay: it follows the action's progress and the
 * durations seen before (look-schedule.ts, rescue-boot-wait.ts).
 */
export interface RequeueSettings {
  readonly bootstrapNotReadyMs: number;
  /** imageName flow: after creating a server from a system image (rapid deploy, up in seconds). */
  readonly afterCreateFromImageMs: number;
  /** imageName flow: after creating a server from a snapshot (CAPH: takes about 140 s). */
  readonly afterCreateFromSnapshotMs: number;
  /** The server is `locked` by another action. */
  readonly lockedMs: number;
  /** After a step that changed something and can go on at once ("requeueImmediately"). */
  readonly immediateMs: number;
  readonly sshRefusedMs: number;
  readonly sshOtherMs: number;
  readonly afterCommandStartMs: number;
  readonly commandPollMs: number;
  /** Image, type, key or placement missing: an operator has to act. */
  readonly createNotPossibleMs: number;
  /** The name is taken by, or providerID names, a server that is not this machine's. */
  readonly notAdoptableMs: number;
  readonly secretMissingMs: number;
  /**
   * Ours (CAPH: no requeue): the imageURLCommand file is missing or unusable. Looked at again
   * this often, so a command added to the folder later is picked up within the unset state's
   * timeout; no server is created meanwhile.
   */
  readonly commandMissingMs: number;
  /** While rate limited: how often to check whether the wait is over. */
  readonly rateLimitCheckMs: number;
  readonly serverOffMs: number;
  readonly serverStartingMs: number;
  /** CAPH: a server that stays off this long despite power-ons fails the machine. */
  readonly serverOffTimeoutMs: number;
  /** Ours: how often a running machine's server is looked at again. */
  readonly operatingSystemRecheckMs: number;
  /** Ours: after recording an intent before a side effect (see MachineStatus.serverRequested). */
  readonly writeAheadMs: number;
}

export interface ProvisioningSettings {
  /** Per-state timeout overrides; the table's defaults (7 min for the command, else 6) apply otherwise. */
  readonly timeoutsMs: Readonly<Partial<Record<BootState, number>>>;
  readonly requeue: RequeueSettings;
  /** How long to wait after `rate_limit_exceeded` before calling the API again (CAPH `--rate-limit`). */
  readonly rateLimitWaitMs: number;
  /** Error backoff: `baseMs * 2^(errors-1)`, at most `capMs` (see step-result.ts). */
  readonly backoff: { readonly baseMs: number; readonly capMs: number };
  /** Image the server is created with; it never boots (the first boot is rescue). */
  readonly baseImage: string;
  /** The command's fourth argument on hcloud (CAPH: always sda). */
  readonly rootDevices: readonly string[];
  /** SSH port of the rescue system. */
  readonly rescuePort: number;
  /**
   * After leaving rescue: how long the installed OS may take until its SSH server answers on
   * rescuePort. Past it, a port that never answered fails the machine (InstalledOSSilent); a
   * port that refused falls back to the hcloud status (InstalledOSWithoutSSH).
   */
  readonly installedOSAnswerBudgetMs: number;
  /** Connect budget per reconcile (CAPH: 5 s): a reconcile never blocks long on SSH. */
  readonly rescueConnectDeadlineMs: number;
  /** On a command timeout: budget to stop it and fetch its output for the event. */
  readonly timeoutProbeDeadlineMs: number;
  readonly stopGraceMs: number;
  /** Event messages stay within this (events.k8s.io: 1 KiB per note). */
  readonly eventMessageLimitBytes: number;
  /**
   * Ours: how often a server whose rescue system did not answer within BootingToRescue's
   * timeout is power-cycled (each with a fresh timeout) before the machine fails.
   */
  readonly rescueBootResets: number;
}

export function defaultSettings(): ProvisioningSettings {
  return {
    timeoutsMs: {},
    requeue: {
      bootstrapNotReadyMs: 10 * second,
      afterCreateFromImageMs: 10 * second,
      afterCreateFromSnapshotMs: 140 * second,
      lockedMs: 5 * second,
      immediateMs: 1 * second,
      sshRefusedMs: 1 * second,
      sshOtherMs: 5 * second,
      afterCommandStartMs: 10 * second,
      commandPollMs: 1 * second,
      createNotPossibleMs: 5 * minute,
      notAdoptableMs: 10 * minute,
      secretMissingMs: 1 * minute,
      commandMissingMs: 1 * minute,
      rateLimitCheckMs: 30 * second,
      serverOffMs: 30 * second,
      serverStartingMs: 10 * second,
      serverOffTimeoutMs: 10 * minute,
      operatingSystemRecheckMs: 10 * minute,
      writeAheadMs: 10,
    },
    rateLimitWaitMs: 5 * minute,
    baseImage: 'ubuntu-24.04',
    rootDevices: ['sda'],
    // The slowest measured boot into a system that answers SSH (rescue: 4 s firmware + 38 s)
    // seven times over: room for an installed image's first-boot work (growing partitions,
    // cloud-init) before a silent server is called not booted.
    installedOSAnswerBudgetMs: 5 * minute,
    timeoutProbeDeadlineMs: 10 * second,
    rescueBootResets: 2,
    ...sharedDefaults,
  };
}

/** Any setting, and requeue values one by one. */
export type SettingsOverrides = OverridesOf<ProvisioningSettings>;

/** The defaults with `overrides` on top (requeue values one by one). */
export function resolveSettings(overrides: SettingsOverrides = {}): ProvisioningSettings {
  return withOverrides(defaultSettings(), overrides);
}
