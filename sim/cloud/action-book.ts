import type { FaultBook } from '../faults/fault-book.js';
import type { Scheduler } from '../http/scheduler.js';
import { timestamp } from './time.js';

export interface ActionResource {
  readonly id: number;
  readonly type: string;
}

export interface ActionRecord {
  readonly id: number;
  readonly command: string;
  status: 'running' | 'success' | 'error';
  readonly started: Date;
  /** When its work began: at `started`, or for a follower when the action it follows succeeded. */
  begun: Date | undefined;
  finished: Date | undefined;
  readonly resources: readonly ActionResource[];
  error: { code: string; message: string } | undefined;
  /** How long it runs; progress is the elapsed share of it. */
  readonly durationMs: number;
}

export interface StartAction {
  readonly command: string;
  readonly resources: readonly ActionResource[];
  readonly durationMs: number;
  /** Runs when the action's work begins (at once, or when the action it follows succeeded). */
  readonly onBegin?: () => void | Promise<void>;
  /** Runs when the action succeeds; a throw turns the action into an error. */
  readonly onSuccess?: () => void | Promise<void>;
  /** Runs when it fails (including by a fault), to undo what its start did. */
  readonly onError?: () => void;
}

/**
 * The project's actions (docs.hetzner.cloud, "Actions"): running → success | error with progress,
 * kept after the resources they touched are gone so pollers never lose them.
 */
export class ActionBook {
  private readonly actions = new Map<number, ActionRecord>();
  /** Actions waiting for another to end (`next_actions` of a create). */
  private readonly followers = new Map<number, ((ok: boolean) => void)[]>();

  constructor(
    private readonly nextId: () => number,
    private readonly scheduler: Scheduler,
    private readonly faults: FaultBook,
    private readonly onError: (error: unknown) => void,
  ) {}

  /**
   * Starts an action; with `after`, it is reported running at once (as `next_actions` are) but
   * its work begins when `after` succeeds, and it fails when `after` fails.
   */
  start(spec: StartAction, after?: ActionRecord): ActionRecord {
    const fault = this.faults.forAction(spec.command);
    const durationMs = spec.durationMs * (fault?.outcome === 'slow' ? (fault.factor ?? 10) : 1);
    const action: ActionRecord = {
      id: this.nextId(),
      command: spec.command,
      status: 'running',
      started: new Date(),
      begun: undefined,
      finished: undefined,
      resources: spec.resources,
      error: undefined,
      durationMs,
    };
    this.actions.set(action.id, action);
    if (fault?.outcome === 'never-finish') return action;
    const outcome = fault?.outcome === 'error' ? 'error' : 'success';
    this.whenDone(after, (ok) => {
      if (!ok) {
        void this.finish(action, 'error', spec);
        return;
      }
      action.begun = new Date();
      this.begin(spec);
      this.scheduler.after(durationMs, () => this.finish(action, outcome, spec), this.onError);
    });
    return action;
  }

  /** Calls `then` at once without `after`, else once `after` has ended (true when it succeeded). */
  private whenDone(after: ActionRecord | undefined, then: (ok: boolean) => void): void {
    if (after === undefined || after.status !== 'running') {
      then(after?.status !== 'error');
      return;
    }
    const waiting = this.followers.get(after.id) ?? [];
    waiting.push(then);
    this.followers.set(after.id, waiting);
  }

  /** Takes over a finished action from a saved state. */
  adopt(action: ActionRecord): void {
    this.actions.set(action.id, action);
  }

  get(id: number): ActionRecord | undefined {
    return this.actions.get(id);
  }

  all(): IterableIterator<ActionRecord> {
    return this.actions.values();
  }

  /** Whether any running action touches the resource: the API then answers `locked`. */
  isLocked(resource: ActionResource): boolean {
    for (const action of this.actions.values()) {
      if (action.status !== 'running') continue;
      if (action.resources.some((r) => r.type === resource.type && r.id === resource.id)) return true;
    }
    return false;
  }

  render(action: ActionRecord): Record<string, unknown> {
    return {
      id: action.id,
      command: action.command,
      status: action.status,
      progress: progressOf(action),
      started: timestamp(action.started),
      finished: action.finished ? timestamp(action.finished) : null,
      resources: action.resources.map((r) => ({ ...r })),
      error: action.error ?? null,
    };
  }

  private begin(spec: StartAction): void {
    try {
      spec.onBegin?.()?.catch(this.onError);
    } catch (error) {
      this.onError(error);
    }
  }

  private async finish(action: ActionRecord, outcome: 'success' | 'error', spec: StartAction): Promise<void> {
    if (outcome === 'success') {
      try {
        await spec.onSuccess?.();
      } catch (error) {
        this.onError(error);
        outcome = 'error';
      }
    }
    if (outcome === 'error') {
      action.error = { code: 'action_failed', message: 'Action failed' };
      spec.onError?.();
    }
    action.status = outcome;
    action.finished = new Date();
    const waiting = this.followers.get(action.id) ?? [];
    this.followers.delete(action.id);
    for (const follower of waiting) follower(outcome === 'success');
  }
}

/**
 * As on the real API: 0 → 100 over the action's duration, never down, 100 only once it ended
 * (an action that waits for another stays at 0).
 */
function progressOf(action: ActionRecord): number {
  if (action.status !== 'running') return 100;
  if (action.durationMs <= 0 || action.begun === undefined) return 0;
  const share = (Date.now() - action.begun.getTime()) / action.durationMs;
  return Math.max(0, Math.min(99, Math.floor(share * 100)));
}
