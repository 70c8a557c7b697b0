import { apiVersionOf, eventKind } from '../client/kinds.js';
import type { KubeObject } from '../client/objects.js';
import { microTime } from './micro-time.js';
import { truncateUtf8, type KeepEnd } from './truncate.js';

/** The events.k8s.io/v1 limits (apiserver validation: note 1 KiB; reason, action 128). */
export const NOTE_LIMIT_BYTES = 1024;
const FIELD_LIMIT = 128;

export type EventType = 'Normal' | 'Warning';

/** One event as a reconciler states it. */
export interface EventInput {
  readonly type: EventType;
  /** CamelCase, machine-readable (e.g. ImageURLCommandFailed). */
  readonly reason: string;
  /** Human-readable; redacted, then cut to the API's limit. */
  readonly note: string;
  /** What was done or failed (e.g. Provisioning). Default Reconcile. */
  readonly action?: string;
  /** Which end of an over-long note to keep; default head, tail suits command output. */
  readonly keep?: KeepEnd;
}

export interface ObjectReference {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
}

export interface EventBody extends KubeObject {
  readonly eventTime: string;
  readonly reportingController: string;
  readonly reportingInstance: string;
  readonly action: string;
  readonly reason: string;
  readonly regarding: ObjectReference;
  readonly note: string;
  readonly type: EventType;
}

export function referenceTo(object: KubeObject): ObjectReference {
  const { name, namespace, uid, resourceVersion } = object.metadata;
  return {
    ...(object.apiVersion ? { apiVersion: object.apiVersion } : {}),
    ...(object.kind ? { kind: object.kind } : {}),
    ...(name ? { name } : {}),
    ...(namespace ? { namespace } : {}),
    ...(uid ? { uid } : {}),
    ...(resourceVersion ? { resourceVersion } : {}),
  };
}

export interface EventSource {
  /** reportingController: a qualified name such as imageurl.x-k8s.io/controller. */
  readonly controller: string;
  /** reportingInstance: this process (pod name), at most 128 characters. */
  readonly instance: string;
  readonly redact: (text: string) => string;
}

/** A new events.k8s.io/v1 Event (name `<object>.<hex time>`, like client-go's). */
export function eventBody(
  source: EventSource,
  regarding: KubeObject,
  input: EventInput,
  stamp: { readonly at: Date; readonly unique: string },
): EventBody {
  const { at, unique } = stamp;
  const name = regarding.metadata.name ?? 'unknown';
  return {
    apiVersion: apiVersionOf(eventKind),
    kind: eventKind.kind,
    metadata: { name: `${name}.${unique}`, namespace: regarding.metadata.namespace || 'default' },
    eventTime: microTime(at),
    reportingController: source.controller,
    reportingInstance: source.instance.slice(0, FIELD_LIMIT),
    action: (input.action ?? 'Reconcile').slice(0, FIELD_LIMIT),
    reason: input.reason.slice(0, FIELD_LIMIT),
    regarding: referenceTo(regarding),
    note: truncateUtf8(source.redact(input.note), NOTE_LIMIT_BYTES, input.keep),
    type: input.type,
  };
}
