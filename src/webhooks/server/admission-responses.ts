/**
 * Admission answers shaped as controller-runtime shapes them, so the apiserver and kubectl show
 * the same statuses and messages users know from Go providers.
 */
import { formatFieldError, formatInvalid, type FieldError } from '../field-errors.js';
import { GROUP } from '../../../api/v1beta1/kind.js';
import type { AdmissionResponse, StatusCause } from './admission-review.js';
import type { JsonPatchOperation } from './json-patch.js';
import { qualifiedKind } from './routes.js';

const MAX_CAUSE_MESSAGE = 300;

export const allowed: AdmissionResponse = { allowed: true };

/** `field.Error.ErrorBody()`: the error text without its leading `field: `. */
function errorBody(error: FieldError): string {
  const full = formatFieldError(error);
  const prefix = `${error.field}: `;
  return full.startsWith(prefix) ? full.slice(prefix.length) : full;
}

function cause(error: FieldError): StatusCause {
  return { reason: `FieldValue${error.type}`, message: errorBody(error), field: error.field };
}

/**
 * The denial `apierrors.NewInvalid(kind, name, errors)` becomes in controller-runtime: HTTP 422,
 * reason Invalid, the `Kind.group "name" is invalid: …` message and one cause per field error.
 */
export function invalid(kind: string, name: string, errors: readonly FieldError[]): AdmissionResponse {
  return {
    allowed: false,
    status: {
      status: 'Failure',
      code: 422,
      reason: 'Invalid',
      message: formatInvalid(qualifiedKind(kind), name, errors),
      details: { name, group: GROUP, kind, causes: errors.map(cause) },
    },
  };
}

/** A denial for a bug on our side (a validator or defaulter threw): HTTP 500, reason InternalError. */
export function internalError(what: string, error: unknown): AdmissionResponse {
  const why = error instanceof Error ? error.message : String(error);
  const message = `${what}: ${why.length > MAX_CAUSE_MESSAGE ? `${why.slice(0, MAX_CAUSE_MESSAGE)}…` : why}`;
  return { allowed: false, status: { status: 'Failure', code: 500, reason: 'InternalError', message } };
}

/** A denial for a request this webhook cannot judge (wrong kind sent to a path): HTTP 400. */
export function badRequest(message: string): AdmissionResponse {
  return { allowed: false, status: { status: 'Failure', code: 400, reason: 'BadRequest', message } };
}

/** Allowed, with the JSON Patch when there is one (no patch fields when nothing changed). */
export function patched(operations: readonly JsonPatchOperation[]): AdmissionResponse {
  if (operations.length === 0) return allowed;
  const patch = Buffer.from(JSON.stringify(operations)).toString('base64');
  return { allowed: true, patchType: 'JSONPatch', patch };
}
