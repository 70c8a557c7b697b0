import type { KindRef } from '../client/kinds.js';
import type { KubeClient } from '../client/kube-client.js';
import type { KubeObject, ObjectKey } from '../client/objects.js';
import type { ReconcileRequest } from '../controller/result.js';

/**
 * A reconcile that follows our own write at once (an immediate requeue) can find the cache
 * still holding the object from before that write: a state machine would then run the same
 * step twice. So the resourceVersion of each object's last status write is remembered, and
 * while the cache shows another one the object is read live. Once the cache has caught up
 * (or another writer moved it on and the live read agrees with the cache), the entry goes.
 */
export class ReadYourWrites<T extends KubeObject> {
  private readonly written = new Map<ObjectKey, string>();

  constructor(
    private readonly client: KubeClient,
    private readonly kind: KindRef,
  ) {}

  /** The object to reconcile: the cached one, unless it is older than our last write. */
  async current(
    request: ReconcileRequest,
    cached: T | undefined,
    signal?: AbortSignal,
  ): Promise<T | undefined> {
    const ours = this.written.get(request.key);
    if (ours === undefined) return cached;
    if (cached === undefined) {
      this.written.delete(request.key);
      return undefined;
    }
    if (cached.metadata.resourceVersion === ours) {
      this.written.delete(request.key);
      return cached;
    }
    const live = await this.client.find<T>(this.kind, request.namespace, request.name, signal);
    if (live === undefined || live.metadata.resourceVersion === cached.metadata.resourceVersion) {
      this.written.delete(request.key);
    }
    return live;
  }

  /**
   * Records how a reconcile left the object. When the status patch wrote nothing (`latest`
   * still has the version the reconcile started from) or was contended, a phase may still have
   * written metadata or spec itself, so the next reconcile reads live once.
   */
  wrote(key: ObjectKey, started: T, latest: T | undefined): void {
    const version = latest?.metadata.resourceVersion;
    const unknown = version === undefined || version === started.metadata.resourceVersion;
    this.written.set(key, unknown ? READ_LIVE : version);
  }
}

/** Never a resourceVersion: forces one live read. */
const READ_LIVE = '';
