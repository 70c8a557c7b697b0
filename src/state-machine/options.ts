import type { Transition } from './machine.js';

/** Settings that have per-situation requeue delays, as both machines' settings do. */
export interface WithRequeue {
  readonly requeue: object;
}

/** Overrides of a machine's settings: any top-level value, and requeue delays one by one. */
export type OverridesOf<S extends WithRequeue> = Partial<Omit<S, 'requeue'>> & {
  readonly requeue?: Partial<S['requeue']>;
};

/** The defaults with `overrides` on top (requeue values one by one). */
export function withOverrides<S extends WithRequeue>(defaults: S, overrides: OverridesOf<S> = {}): S {
  return { ...defaults, ...overrides, requeue: { ...defaults.requeue, ...overrides.requeue } };
}

/** What a caller may pass to a machine's provisioner. */
export interface MachineOptions<Overrides, State> {
  readonly settings?: Overrides;
  /**
   * Told every state change once, with the time spent in the old state (the kube side logs
   * `oldState`/`newState`/`durationInState` and feeds its histogram from it).
   */
  readonly onTransition?: (transition: Transition<State>) => void;
}
