import type { KubeObject } from '../../kube/index.js';
import type { Requeue } from '../../state-machine/index.js';

/**
 * Keeps the core's error backoff (1 s, 2 s, 4 s, … see toRequeue) in force; shared by the
 * HCloudMachine and HetznerBareMetalHost reconcilers (both cores return the engine's Requeue).
 * A failed step still persists something (the error count in the state annotation, a
 * condition), and that write of our own comes back as a watch event that reconciles the object
 * at once: without this gate a cloud or Robot call that keeps failing was retried every ~15 ms,
 * a hot loop that would use up the project's 3600 requests per hour (Robot: 200 server calls)
 * within a minute. A reconcile that comes before the backoff is over does nothing and asks to
 * come back when it is. In memory only: after a restart the first attempt is immediate, as with
 * controller-runtime's rate limiter.
 */
export class RetryGate {
  private readonly notBefore = new Map<string, number>();

  /** How long `object` must still wait, or undefined when it may go on. */
  waitMs(object: KubeObject, now: Date): number | undefined {
    const key = keyOf(object);
    const at = this.notBefore.get(key);
    if (at === undefined) return undefined;
    const left = at - now.getTime();
    if (left > 0) return left;
    this.notBefore.delete(key);
    return undefined;
  }

  /** Remembers the backoff a failed step asked for; any other outcome clears it. */
  record(object: KubeObject, requeue: Requeue, now: Date): void {
    const key = keyOf(object);
    // Drop what is over, so objects deleted while backing off are not kept forever.
    for (const [other, time] of this.notBefore) if (time <= now.getTime()) this.notBefore.delete(other);
    if (requeue.kind === 'backoff') this.notBefore.set(key, now.getTime() + requeue.ms);
    else this.notBefore.delete(key);
  }

  /** Objects waiting now (for tests). */
  get size(): number {
    return this.notBefore.size;
  }
}

/** The uid: an object deleted and created again under the same name starts afresh. */
function keyOf(object: KubeObject): string {
  const { uid, namespace, name } = object.metadata;
  return uid ?? `${namespace ?? ''}/${name ?? ''}`;
}
