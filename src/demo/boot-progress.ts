import type { Change, KubeObject } from '../kube/index.js';
import type { Transition } from '../util/duration-table.js';

/** How to read a followed object's state: HCloudMachine boot states, host provisioning states. */
export interface StateReader {
  /** The current state; '' while it has none (not followed yet). */
  readonly state: (object: KubeObject) => string;
  /** When the current state began (ms since the epoch), when the controller recorded it. */
  readonly since: (object: KubeObject) => number | undefined;
  /** A progress message worth showing ('' for none). */
  readonly message: (object: KubeObject) => string;
  /** States after which nothing more happens (success or failure). */
  readonly finalStates: ReadonlySet<string>;
  /** Why the object cannot go on without the user's help ('Reason: message'); '' while it can. */
  readonly blocked: (object: KubeObject) => string;
}

/** An object that cannot go on, and why. */
export interface Blocked {
  readonly name: string;
  readonly reason: string;
}

interface Seen {
  state: string;
  since: number;
  message: string;
}

/**
 * Follows objects through their states from watch changes: prints each transition once with how
 * long the old state lasted (from the `since` the controller wrote: the start of the reconcile
 * that entered it, so durations can differ from the gaps between the printed lines by the
 * reconciles' own work) and the progress message when it changes, and keeps the transitions for
 * the duration table.
 */
export class BootProgress {
  readonly transitions: Transition[] = [];
  private readonly seen = new Map<string, Seen>();
  private readonly finished = new Map<string, string>();
  private readonly waiters: { count: number; resolve: () => void }[] = [];
  private readonly stuck = new Map<string, string>();
  private readonly stuckWaiters: ((blocked: Blocked) => void)[] = [];

  constructor(
    private readonly print: (line: string) => void,
    private readonly started: number,
    private readonly reader: StateReader,
  ) {}

  /** Objects that reached a final state, with that state. */
  get outcomes(): ReadonlyMap<string, string> {
    return this.finished;
  }

  /** Resolves once `count` objects reached a final state. */
  whenFinished(count: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ count, resolve });
      this.notify();
    });
  }

  /** Resolves with the first object that cannot go on (a missing command, a failure). */
  whenBlocked(): Promise<Blocked> {
    const [first] = this.stuck;
    if (first) return Promise.resolve({ name: first[0], reason: first[1] });
    return new Promise((resolve) => this.stuckWaiters.push(resolve));
  }

  observe(change: Change<KubeObject>): void {
    if (change.type === 'deleted') return;
    const object = change.object;
    const name = object.metadata.name ?? '';
    const state = this.reader.state(object);
    // Checked before the state: a missing command stops a machine before its first state.
    const blocked = this.reader.blocked(object);
    if (state !== '') {
      const since = this.reader.since(object) ?? Date.now();
      const previous = this.seen.get(name);
      if (previous?.state !== state) this.transition(name, object, previous, { state, since });
      // The blocked line carries the message; it is not shown twice.
      if (blocked === '') this.showMessage(name, this.reader.message(object));
    }
    if (blocked !== '') this.block(name, blocked);
  }

  private block(name: string, reason: string): void {
    if (this.stuck.has(name)) return;
    this.stuck.set(name, reason);
    this.print(`${this.clock()} ${name}  cannot go on: ${reason}`);
    for (const resolve of this.stuckWaiters.splice(0)) resolve({ name, reason });
  }

  private transition(
    name: string,
    object: KubeObject,
    previous: Seen | undefined,
    next: { state: string; since: number },
  ): void {
    const from = previous?.state ?? '';
    const seconds = Math.max(0, (next.since - startOf(object, previous, next.since)) / 1000);
    this.transitions.push({ machine: name, from, to: next.state, seconds });
    this.seen.set(name, { ...next, message: previous?.message ?? '' });
    const took = from === '' ? '' : ` (${from} took ${seconds.toFixed(1)} s)`;
    this.print(`${this.clock()} ${name}  ${from === '' ? '' : `${from} → `}${next.state}${took}`);
    if (this.reader.finalStates.has(next.state)) {
      this.finished.set(name, next.state);
      this.notify();
    }
  }

  private notify(): void {
    for (const waiter of this.waiters.filter((w) => this.finished.size >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  private showMessage(name: string, message: string): void {
    const seen = this.seen.get(name);
    if (!seen || message === seen.message) return;
    seen.message = message;
    if (message !== '') this.print(`${this.clock()} ${name}    ${message}`);
  }

  private clock(): string {
    return `[${((Date.now() - this.started) / 1000).toFixed(1).padStart(6)}s]`;
  }
}

/** When the old state began: its `since`, or for the first state the object's creation. */
function startOf(object: KubeObject, previous: Seen | undefined, fallback: number): number {
  if (previous) return previous.since;
  const created = Date.parse(object.metadata.creationTimestamp ?? '');
  return Number.isNaN(created) ? fallback : created;
}

/** Milliseconds of an RFC 3339 time, undefined when absent or unreadable. */
export function timeOf(value: string | undefined): number | undefined {
  const parsed = Date.parse(value ?? '');
  return Number.isNaN(parsed) ? undefined : parsed;
}
