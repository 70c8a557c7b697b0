import { fieldError, type FieldError } from '../field-errors.js';
import { isRecord } from '../object-fields.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** etcd's default `--max-request-bytes`: a larger object cannot be stored ("request is too large"). */
export const ETCD_MAX_REQUEST_BYTES = 1.5 * MiB;
/** The apiserver's limit on all annotations of an object, keys and values (ObjectMeta validation). */
export const MAX_ANNOTATION_BYTES = 256 * KiB;
/** Where client-side `kubectl apply` (its default) keeps a JSON copy of what was applied. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export type SizeProblem = { readonly message: string } | { readonly error: FieldError };

/**
 * What the apiserver refuses for size alone. Sizes are of the object as compact JSON, as custom
 * resources are stored; a request is a little larger, so an object just under a limit may still
 * fail.
 */
export function sizeProblems(object: unknown): SizeProblem[] {
  const bytes = Buffer.byteLength(JSON.stringify(object));
  if (bytes > ETCD_MAX_REQUEST_BYTES) {
    return [
      {
        message: `Too long: the object is ${mib(bytes)} (${bytes} bytes) as JSON; etcd refuses requests over 1.5 MiB (${ETCD_MAX_REQUEST_BYTES} bytes, its default --max-request-bytes), so the apiserver cannot store it`,
      },
    ];
  }
  const annotations = annotationBytes(object);
  const limit = `may not be more than ${MAX_ANNOTATION_BYTES} bytes`;
  if (annotations > MAX_ANNOTATION_BYTES)
    return [{ error: fieldError.tooLong('metadata.annotations', limit) }];
  const applied = annotations + Buffer.byteLength(LAST_APPLIED) + bytes;
  if (applied <= MAX_ANNOTATION_BYTES) return [];
  const why = `${limit} with the ${bytes} bytes kubectl apply adds in ${LAST_APPLIED} (a copy of the object); kubectl apply --server-side and kubectl create add none`;
  return [{ error: fieldError.tooLong('metadata.annotations', why) }];
}

function annotationBytes(object: unknown): number {
  const annotations =
    isRecord(object) && isRecord(object['metadata']) ? object['metadata']['annotations'] : undefined;
  if (!isRecord(annotations)) return 0;
  return Object.entries(annotations).reduce(
    (sum, [key, value]) =>
      sum + Buffer.byteLength(key) + Buffer.byteLength(typeof value === 'string' ? value : ''),
    0,
  );
}

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}
