/**
 * How long simulated things take. `realistic` follows durations measured on Hetzner (listed in
 * docs/sim-os-image.md, "Timing"), and varies per server within `realisticRanges`; `fast` is
 * near zero for tests.
 */
export interface SimDurations {
  /** Cloud `create_server` action (server `initializing`). */
  readonly createServerMs: number;
  /** `start_server` (poweron, start_after_create): `starting` until `running`. */
  readonly startServerMs: number;
  /** `stop_server` (poweroff) and an ACPI shutdown the guest obeys: `stopping` until `off`. */
  readonly stopServerMs: number;
  /** `reboot_server` / `reset_server`, and a Robot reset taking effect. */
  readonly resetServerMs: number;
  /** `enable_rescue` / `disable_rescue` (the API example returns them already finished). */
  readonly rescueToggleMs: number;
  readonly deleteServerMs: number;
  /** From power on (or reset) until the rescue system answers SSH. */
  readonly rescueBootMs: number;
  /** From power on until the installed OS answers SSH. */
  readonly osBootMs: number;
  /** An unused rescue activation lapses after this (60 minutes on Hetzner). */
  readonly rescueLapseMs: number;
  /** Cloud `create_load_balancer`. */
  readonly createLoadBalancerMs: number;
  /**
   * Cloud actions that only change configuration: subnets, routes, network attachments,
   * placement group membership, load balancer services, targets, algorithm, type, protection.
   */
  readonly configActionMs: number;
}

export const durationProfiles = {
  // Initializing→EnablingRescue 19.2 s ≈ create + start; EnablingRescue→BootingToRescue 14.2 s
  // ≈ rescue toggle + reset; BootingToRescue→RunningImageCommand 38.2 s ≈ the rescue boot;
  // BootingToRealOS→OperatingSystemRunning 1.8 s is taken as the OS boot.
  realistic: {
    createServerMs: 15_000,
    startServerMs: 4_000,
    stopServerMs: 4_000,
    resetServerMs: 12_000,
    rescueToggleMs: 1_000,
    deleteServerMs: 3_000,
    rescueBootMs: 37_000,
    osBootMs: 1_800,
    rescueLapseMs: 60 * 60_000,
    createLoadBalancerMs: 10_000,
    configActionMs: 1_000,
  },
  fast: {
    createServerMs: 30,
    startServerMs: 20,
    stopServerMs: 20,
    resetServerMs: 20,
    rescueToggleMs: 0,
    deleteServerMs: 20,
    rescueBootMs: 0,
    osBootMs: 0,
    rescueLapseMs: 60 * 60_000,
    createLoadBalancerMs: 30,
    configActionMs: 10,
  },
} as const satisfies Record<string, SimDurations>;

export type DurationProfile = keyof typeof durationProfiles;

/** Measured bounds and mean of one duration; draws fall within [minMs, maxMs] and average meanMs. */
export interface DurationRange {
  readonly minMs: number;
  readonly meanMs: number;
  readonly maxMs: number;
}

export type DurationRanges = Readonly<Partial<Record<keyof SimDurations, DurationRange>>>;

const range = (minS: number, meanS: number, maxS: number): DurationRange => ({
  minMs: minS * 1000,
  meanMs: meanS * 1000,
  maxMs: maxS * 1000,
});

/**
 * The spec's measured table (spec/image-url-command.txt: min/avg/max per boot-state transition,
 * measured with CAPH on hcloud), each row taken as the duration of the step of the world that
 * ends the state: Initializing ends when `create_server` finishes, EnablingRescue when
 * `enable_rescue` does, BootingToRescue when the rescue system answers after the power-on (the
 * 4 s `start_server` firmware time is taken off the row, so the rescue boot gets 33–38 s), and
 * BootingToRealOS → OperatingSystemRunning (1–3 s) is the installed OS's boot after the reset.
 * The rows include CAPH's own waiting, so these durations err on the long side.
 */
export const realisticRanges: DurationRanges = {
  createServerMs: range(11, 19.2, 21),
  rescueToggleMs: range(9, 14.2, 23),
  rescueBootMs: range(33, 34.2, 38),
  osBootMs: range(1, 1.8, 3),
};

export function resolveDurations(
  profile: DurationProfile,
  overrides: Partial<SimDurations> = {},
): SimDurations {
  return { ...durationProfiles[profile], ...overrides };
}
