import type { ExpectedDuration } from './look-schedule.js';

/** How many recent durations per kind shape the expectation. */
const SAMPLES = 20;
/** Planned looks this much overdue are forgotten (the machine went away, or a restart raced it). */
const STALE_MS = 60 * 60_000;

interface PlannedLook {
  readonly atMs: number;
  readonly startedMs: number;
  readonly looks: number;
  /** For a port being watched: it stopped answering at least once (see installed-os-wait). */
  readonly wentDown?: boolean;
  /**
   * For an action: its progress pinned its end at `atMs`, so the call that follows it is made
   * then instead of one more look (see action-check).
   */
  readonly endPinned?: boolean;
}

/**
 * What this process knows about waiting, shared by every machine (the composition root holds
 * one): the next planned look per thing waited for (an action id, a rescue boot), so a
 * reconcile that comes earlier — our own status write comes back as a watch event — makes no
 * request; and how long each kind of step took lately (`create_server`, `enable_rescue`, the
 * rescue boot), which is when the next one is looked at first. In memory only: after a restart
 * the first look comes early and the expectations are learned again.
 */
export class WaitBook {
  private readonly planned = new Map<string, PlannedLook>();
  private readonly durations = new Map<string, number[]>();

  /** The look planned for `key`, if any. */
  plannedLook(key: string): PlannedLook | undefined {
    return this.planned.get(key);
  }

  plan(key: string, look: PlannedLook): void {
    this.planned.set(key, look);
    for (const [other, entry] of this.planned)
      if (entry.atMs < look.atMs - STALE_MS) this.planned.delete(other);
  }

  /** The wait for `key` is over (done, failed, or no longer wanted). */
  forget(key: string): void {
    this.planned.delete(key);
  }

  /** A step of `kind` took `durationMs`. */
  learn(kind: string, durationMs: number): void {
    if (!Number.isFinite(durationMs) || durationMs < 0) return;
    const list = this.durations.get(kind) ?? [];
    list.push(durationMs);
    if (list.length > SAMPLES) list.shift();
    this.durations.set(kind, list);
  }

  /** The shortest and longest recent duration of `kind`; undefined before one was seen. */
  expected(kind: string): ExpectedDuration | undefined {
    const list = this.durations.get(kind);
    if (list === undefined || list.length === 0) return undefined;
    return { minMs: Math.min(...list), maxMs: Math.max(...list) };
  }
}
