/**
 * The `admission.k8s.io/v1` AdmissionReview wire format: decoding what the apiserver sends and
 * encoding our answer. Only the fields we use are typed; objects stay plain JSON.
 */
import type { AdmissionOperation } from '../kind-admission.js';

export const ADMISSION_API_VERSION = 'admission.k8s.io/v1';

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** `AdmissionReview.request` as far as we read it. */
export interface AdmissionRequest {
  readonly uid: string;
  readonly kind: GroupVersionKind;
  /** Empty on CREATE with generateName before the name is generated (mutating webhooks). */
  readonly name: string;
  readonly namespace: string;
  readonly operation: AdmissionOperation;
  readonly dryRun: boolean;
  readonly object: unknown;
  readonly oldObject: unknown;
  /** `request.userInfo.username`: who sent the request ('' if the apiserver named nobody). */
  readonly username: string;
}

/** A `metav1.Status` as webhooks return it in `response.status`. */
export interface Status {
  readonly status?: 'Success' | 'Failure';
  readonly code: number;
  readonly reason?: string;
  readonly message?: string;
  readonly details?: StatusDetails;
}

export interface StatusDetails {
  readonly name: string;
  readonly group: string;
  readonly kind: string;
  readonly causes: readonly StatusCause[];
}

export interface StatusCause {
  readonly reason: string;
  readonly message: string;
  readonly field: string;
}

/** `AdmissionReview.response` without the uid, which encodeAdmissionReview copies from the request. */
export interface AdmissionResponse {
  readonly allowed: boolean;
  readonly status?: Status;
  readonly patchType?: 'JSONPatch';
  /** Base64 of the JSON Patch (RFC 6902) document. */
  readonly patch?: string;
  readonly warnings?: readonly string[];
}

/** The request body is not an AdmissionReview we can answer; the server replies HTTP 400. */
export class MalformedReviewError extends Error {
  readonly code = 'ADMISSION_REVIEW_MALFORMED';
}

const OPERATIONS: ReadonlySet<string> = new Set(['CREATE', 'UPDATE', 'DELETE', 'CONNECT']);

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A short rendering of a value from parsed JSON (never undefined inside, only when absent). */
function preview(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 60);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new MalformedReviewError(`the request body is not JSON: ${(error as Error).message}`);
  }
}

function requestOf(review: unknown): Json {
  if (!isRecord(review)) throw new MalformedReviewError('the request body is not a JSON object');
  if (review['apiVersion'] !== ADMISSION_API_VERSION || review['kind'] !== 'AdmissionReview')
    throw new MalformedReviewError(
      `expected apiVersion ${ADMISSION_API_VERSION} and kind AdmissionReview, got ` +
        `${preview(review['apiVersion'])} ${preview(review['kind'])}`,
    );
  const request = review['request'];
  if (!isRecord(request)) throw new MalformedReviewError('request: required object is missing');
  return request;
}

function kindOf(request: Json): GroupVersionKind {
  const kind = request['kind'];
  if (!isRecord(kind) || typeof kind['kind'] !== 'string')
    throw new MalformedReviewError('request.kind: required {group, version, kind} is missing');
  return { group: text(kind['group']), version: text(kind['version']), kind: kind['kind'] };
}

/** Parses an AdmissionReview request body; throws MalformedReviewError naming what is wrong. */
export function decodeAdmissionReview(body: Buffer): AdmissionRequest {
  const request = requestOf(parseJson(body));
  const uid = request['uid'];
  if (typeof uid !== 'string' || uid === '')
    throw new MalformedReviewError('request.uid: required string is missing');
  const operation = request['operation'];
  if (typeof operation !== 'string' || !OPERATIONS.has(operation))
    throw new MalformedReviewError(
      `request.operation: ${preview(operation)} is not one of CREATE, UPDATE, DELETE, CONNECT`,
    );
  return {
    uid,
    kind: kindOf(request),
    name: text(request['name']),
    namespace: text(request['namespace']),
    operation: operation as AdmissionOperation,
    dryRun: request['dryRun'] === true,
    object: request['object'] ?? null,
    oldObject: request['oldObject'] ?? null,
    username: text(isRecord(request['userInfo']) ? request['userInfo']['username'] : undefined),
  };
}

/** The response body for `uid`: an AdmissionReview carrying `response`. */
export function encodeAdmissionReview(uid: string, response: AdmissionResponse): string {
  return JSON.stringify({
    apiVersion: ADMISSION_API_VERSION,
    kind: 'AdmissionReview',
    response: { uid, ...response },
  });
}
