import { isKubeError } from './errors.js';
import { collectionPath, objectPath, type KindRef } from './kinds.js';
import type { KubeList, KubeObject, ObjectName } from './objects.js';
import type { KubeTransport } from './transport.js';

export interface ListOptions {
  /** All namespaces when absent. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly limit?: number;
  readonly continue?: string;
  readonly signal?: AbortSignal;
}

export interface WriteOptions {
  /** The status subresource, for status writes. */
  readonly subresource?: 'status';
  readonly signal?: AbortSignal;
}

const MERGE_PATCH = 'application/merge-patch+json';

/**
 * Typed verbs on any kind, by KindRef. Objects are plain JSON; writes carry the runtime's field
 * manager so managedFields name us.
 */
export class KubeClient {
  constructor(
    readonly transport: KubeTransport,
    private readonly fieldManager = 'imageurl',
  ) {}

  async get<T extends KubeObject>(
    kind: KindRef,
    namespace: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<T> {
    return this.transport.json<T>({
      method: 'GET',
      path: objectPath(kind, namespace, name),
      ...(signal ? { signal } : {}),
    });
  }

  /** The object, or undefined when it does not exist. */
  async find<T extends KubeObject>(
    kind: KindRef,
    namespace: string,
    name: string,
    signal?: AbortSignal,
  ): Promise<T | undefined> {
    try {
      return await this.get<T>(kind, namespace, name, signal);
    } catch (error) {
      if (isKubeError(error, 'KUBE_NOT_FOUND')) return undefined;
      throw error;
    }
  }

  /** One page of a list (use `limit` and `continue` to page). */
  async list<T extends KubeObject>(kind: KindRef, options: ListOptions = {}): Promise<KubeList<T>> {
    return this.transport.json<KubeList<T>>({
      method: 'GET',
      path: collectionPath(kind, options.namespace),
      query: {
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        limit: options.limit,
        continue: options.continue,
      },
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  async create<T extends KubeObject>(kind: KindRef, object: T, signal?: AbortSignal): Promise<T> {
    return this.transport.json<T>({
      method: 'POST',
      path: collectionPath(kind, object.metadata.namespace ?? ''),
      query: { fieldManager: this.fieldManager },
      body: { apiVersion: object.apiVersion, kind: object.kind ?? kind.kind, ...object },
      ...(signal ? { signal } : {}),
    });
  }

  /** PUT: optimistic concurrency through `metadata.resourceVersion` (409 KUBE_CONFLICT when stale). */
  async replace<T extends KubeObject>(kind: KindRef, object: T, options: WriteOptions = {}): Promise<T> {
    const { namespace = '', name = '' } = object.metadata;
    return this.transport.json<T>({
      method: 'PUT',
      path: objectPath(kind, namespace, name, options.subresource),
      query: { fieldManager: this.fieldManager },
      body: object,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /**
   * An RFC 7386 JSON merge patch. A `metadata.resourceVersion` inside the patch makes it
   * conditional: the apiserver answers 409 KUBE_CONFLICT if the object changed since.
   */
  async mergePatch<T extends KubeObject>(
    kind: KindRef,
    target: ObjectName,
    patch: object,
    options: WriteOptions = {},
  ): Promise<T> {
    return this.transport.json<T>({
      method: 'PATCH',
      path: objectPath(kind, target.namespace, target.name, options.subresource),
      query: { fieldManager: this.fieldManager },
      body: patch,
      contentType: MERGE_PATCH,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  }

  /** Deletes; an object that is already gone is not an error. */
  async delete(kind: KindRef, namespace: string, name: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.transport.json<unknown>({
        method: 'DELETE',
        path: objectPath(kind, namespace, name),
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (!isKubeError(error, 'KUBE_NOT_FOUND')) throw error;
    }
  }
}
