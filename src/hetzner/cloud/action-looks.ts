import { CloudError } from '../../ports/cloud-errors.js';
import type { CloudAction } from '../../ports/cloud-servers.js';

/** `GET /actions?id=…` takes at most this many ids (hcloud-go's WaitFor batches the same way). */
export const MAX_IDS_PER_LOOK = 25;

export interface ActionLooksOptions {
  readonly now: () => number;
  /** Looks asked for within this window share one request; default 25 ms. */
  readonly windowMs?: number;
  /** A running answer younger than this is given again instead of asking; default 500 ms. */
  readonly freshMs?: number;
  /** Running actions nobody asked about for this long are no longer looked at; default 10 min. */
  readonly forgetAfterMs?: number;
}

interface Known {
  action: CloudAction;
  /** When the API said this. */
  seenMs: number;
  /** When a caller last asked for it. */
  askedMs: number;
}

interface Waiter {
  readonly resolve: (action: CloudAction) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Action looks of one project, coalesced: looks asked for within a short window go out as one
 * `GET /actions?id=…`, and every such request also carries the other running actions this client
 * follows (up to 25 ids), so when one machine looks, the others learn their actions' state for
 * free. A finished action's answer is kept until its machine asks, which then costs no request.
 */
export class ActionLooks {
  private readonly known = new Map<number, Known>();
  private readonly waiting = new Map<number, Waiter[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly fetch: (ids: readonly number[]) => Promise<readonly CloudAction[]>,
    private readonly options: ActionLooksOptions,
  ) {}

  get(actionId: number): Promise<CloudAction> {
    const nowMs = this.options.now();
    const known = this.known.get(actionId);
    if (known !== undefined) {
      known.askedMs = nowMs;
      if (known.action.status !== 'running') {
        // Only one machine waits on an action: once it has the outcome, nobody needs it again.
        this.known.delete(actionId);
        return Promise.resolve(known.action);
      }
      if (nowMs - known.seenMs < (this.options.freshMs ?? 500)) return Promise.resolve(known.action);
    }
    return new Promise((resolve, reject) => {
      const list = this.waiting.get(actionId) ?? [];
      list.push({ resolve, reject });
      this.waiting.set(actionId, list);
      this.timer ??= setTimeout(() => void this.flush(), this.options.windowMs ?? 25);
    });
  }

  /** The running actions followed but not asked for now, those seen longest ago first. */
  private companions(): number[] {
    const nowMs = this.options.now();
    const forgetAfter = this.options.forgetAfterMs ?? 600_000;
    for (const [id, entry] of this.known) {
      if (nowMs - entry.askedMs > forgetAfter) this.known.delete(id);
    }
    return [...this.known]
      .filter(([id, entry]) => entry.action.status === 'running' && !this.waiting.has(id))
      .sort((a, b) => a[1].seenMs - b[1].seenMs)
      .map(([id]) => id);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const asked = [...this.waiting.keys()];
    const companions = this.companions();
    const batches: number[][] = [];
    for (let i = 0; i < asked.length; i += MAX_IDS_PER_LOOK) {
      batches.push(asked.slice(i, i + MAX_IDS_PER_LOOK));
    }
    const last = batches.at(-1);
    if (last !== undefined) last.push(...companions.slice(0, MAX_IDS_PER_LOOK - last.length));
    await Promise.all(batches.map((ids) => this.look(ids)));
  }

  private async look(ids: readonly number[]): Promise<void> {
    const waiters = new Map(ids.flatMap((id) => this.take(id)));
    let actions: readonly CloudAction[];
    try {
      actions = await this.fetch(ids);
    } catch (error) {
      for (const list of waiters.values()) for (const waiter of list) waiter.reject(error);
      return;
    }
    const byId = new Map(actions.map((action) => [action.id, action]));
    for (const id of ids) this.settle(id, byId.get(id), waiters.get(id));
  }

  /** Records one action's answer and gives it to whoever asked for it. */
  private settle(id: number, action: CloudAction | undefined, waiters: Waiter[] | undefined): void {
    const nowMs = this.options.now();
    if (action === undefined) {
      this.known.delete(id);
      const missing = new CloudError('not_found', `hcloud getAction: no action ${id}`);
      for (const waiter of waiters ?? []) waiter.reject(missing);
      return;
    }
    if (waiters === undefined) {
      const askedMs = this.known.get(id)?.askedMs ?? nowMs;
      this.known.set(id, { action, seenMs: nowMs, askedMs });
      return;
    }
    if (action.status === 'running') this.known.set(id, { action, seenMs: nowMs, askedMs: nowMs });
    else this.known.delete(id);
    for (const waiter of waiters) waiter.resolve(action);
  }

  private take(id: number): [number, Waiter[]][] {
    const list = this.waiting.get(id);
    if (list === undefined) return [];
    this.waiting.delete(id);
    return [[id, list]];
  }
}
