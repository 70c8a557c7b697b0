import type { HCloudMachineStatus } from '../../api/v1beta1/hcloud-machine.js';
import type { Change, KubeObject } from '../kube/index.js';
import type { Transition } from './duration-table.js';

export interface MachineView extends KubeObject {
  status?: HCloudMachineStatus;
}

interface Seen {
  state: string;
  since: number;
  message: string;
}

const FINAL_STATES = new Set(['OperatingSystemRunning', 'ProvisioningFailed']);

/**
 * Follows HCloudMachines through their boot states from watch changes: prints each transition
 * once with how long the old state lasted (from `bootStateSince`, written by the controller) and
 * the ServerProvisioned condition's message when it changes, and keeps the transitions for the
 * duration table.
 */
export class BootProgress {
  readonly transitions: Transition[] = [];
  private readonly seen = new Map<string, Seen>();
  private readonly finished = new Map<string, string>();
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  constructor(
    private readonly print: (line: string) => void,
    private readonly started: number,
  ) {}

  /** Machines that reached a final state, with that state. */
  get outcomes(): ReadonlyMap<string, string> {
    return this.finished;
  }

  /** Resolves once `count` machines reached a final state. */
  whenFinished(count: number): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ count, resolve });
      this.notify();
    });
  }

  observe(change: Change<MachineView>): void {
    if (change.type === 'deleted') return;
    const object = change.object;
    const name = object.metadata.name ?? '';
    const status = object.status ?? {};
    const state = status.bootState ?? '';
    if (state === '') return;
    const since = Date.parse(status.bootStateSince ?? '') || Date.now();
    const previous = this.seen.get(name);
    if (previous?.state !== state) this.transition(name, object, previous, { state, since });
    this.showMessage(name, status);
  }

  private transition(
    name: string,
    object: MachineView,
    previous: Seen | undefined,
    next: { state: string; since: number },
  ): void {
    const from = previous?.state ?? '';
    const seconds = Math.max(0, (next.since - startOf(object, previous, next.since)) / 1000);
    this.transitions.push({ machine: name, from, to: next.state, seconds });
    this.seen.set(name, { ...next, message: previous?.message ?? '' });
    const took = from === '' ? '' : ` (${from} took ${seconds.toFixed(1)} s)`;
    this.print(`${this.clock()} ${name}  ${from === '' ? '' : `${from} → `}${next.state}${took}`);
    if (FINAL_STATES.has(next.state)) {
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

  private showMessage(name: string, status: HCloudMachineStatus): void {
    const seen = this.seen.get(name);
    const condition = status.conditions?.find((c) => c.type === 'ServerProvisioned');
    const message = condition?.status === 'True' ? '' : (condition?.message ?? '');
    if (!seen || message === seen.message) return;
    seen.message = message;
    if (message !== '') this.print(`${this.clock()} ${name}    ${message}`);
  }

  private clock(): string {
    return `[${((Date.now() - this.started) / 1000).toFixed(1).padStart(6)}s]`;
  }
}

/** When the old state began: its bootStateSince, or for the first state the object's creation. */
function startOf(object: MachineView, previous: Seen | undefined, fallback: number): number {
  if (previous) return previous.since;
  const created = Date.parse(object.metadata.creationTimestamp ?? '');
  return Number.isNaN(created) ? fallback : created;
}
