/**
 * The `apiextensions.k8s.io/v1` ConversionReview: the apiserver sends objects of our kinds in
 * one version and wants them in another (the CRDs' conversion webhook, path /convert). The
 * conversion itself is api/conversion's; this is the wire format around it.
 */
import {
  CONVERTIBLE_VERSIONS,
  ConversionError,
  convertObject,
  type ConvertibleVersion,
} from '../../../api/conversion/index.js';
import { GROUP } from '../../../api/v1beta1/kind.js';
import { isRecord } from '../object-fields.js';
import { MalformedReviewError } from './admission-review.js';
import { describeFailure } from './admit.js';

export const CONVERSION_API_VERSION = 'apiextensions.k8s.io/v1';

/** `ConversionReview.request` as far as we read it. */
export interface ConversionRequest {
  readonly uid: string;
  readonly desiredAPIVersion: string;
  readonly objects: readonly unknown[];
}

/** `ConversionReview.response` without the uid, which encodeConversionReview copies from the request. */
export interface ConversionResponse {
  readonly convertedObjects: readonly unknown[];
  readonly result: { readonly status: 'Success' } | { readonly status: 'Failure'; readonly message: string };
}

/** What converting a request did, for the server's log line. */
export interface Converted {
  readonly response: ConversionResponse;
  /** Set when a conversion failed for a reason other than the input (a bug): no request data in it. */
  readonly failure?: string;
}

function preview(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value).slice(0, 80);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new MalformedReviewError(`the request body is not JSON: ${(error as Error).message}`);
  }
}

/** Parses a ConversionReview request body; throws MalformedReviewError naming what is wrong. */
export function decodeConversionReview(body: Buffer): ConversionRequest {
  const review = parseJson(body);
  if (!isRecord(review)) throw new MalformedReviewError('the request body is not a JSON object');
  if (review['apiVersion'] !== CONVERSION_API_VERSION || review['kind'] !== 'ConversionReview')
    throw new MalformedReviewError(
      `expected apiVersion ${CONVERSION_API_VERSION} and kind ConversionReview, got ` +
        `${preview(review['apiVersion'])} ${preview(review['kind'])}`,
    );
  const request = review['request'];
  if (!isRecord(request)) throw new MalformedReviewError('request: required object is missing');
  const { uid, desiredAPIVersion, objects } = request;
  if (typeof uid !== 'string' || uid === '')
    throw new MalformedReviewError('request.uid: required string is missing');
  if (typeof desiredAPIVersion !== 'string')
    throw new MalformedReviewError('request.desiredAPIVersion: required string is missing');
  if (!Array.isArray(objects)) throw new MalformedReviewError('request.objects: required list is missing');
  return { uid, desiredAPIVersion, objects };
}

/** The response body for `uid`: a ConversionReview carrying `response`. */
export function encodeConversionReview(uid: string, response: ConversionResponse): string {
  return JSON.stringify({
    apiVersion: CONVERSION_API_VERSION,
    kind: 'ConversionReview',
    response: { uid, ...response },
  });
}

function failed(message: string, failure?: string): Converted {
  return {
    response: { convertedObjects: [], result: { status: 'Failure', message } },
    ...(failure === undefined ? {} : { failure }),
  };
}

function targetVersion(desired: string): ConvertibleVersion | undefined {
  return CONVERTIBLE_VERSIONS.find((version) => desired === `${GROUP}/${version}`);
}

/** `objects[2] (HCloudMachine default/worker-1)`: which object of the request a message is about. */
function describeObject(object: unknown, index: number): string {
  if (!isRecord(object)) return `objects[${index}]`;
  const metadata = isRecord(object['metadata']) ? object['metadata'] : {};
  const kind = typeof object['kind'] === 'string' ? object['kind'].slice(0, 80) : '(no kind)';
  const name = typeof metadata['name'] === 'string' ? metadata['name'] : '(no name)';
  const namespace = typeof metadata['namespace'] === 'string' ? `${metadata['namespace']}/` : '';
  return `objects[${index}] (${kind} ${namespace}${name})`;
}

/**
 * Converts every object of `request` to its desiredAPIVersion. One object that cannot be
 * converted fails the whole review (the apiserver needs all of them), naming that object.
 */
export function convertReview(request: ConversionRequest): Converted {
  const to = targetVersion(request.desiredAPIVersion);
  if (to === undefined)
    return failed(
      `desiredAPIVersion ${preview(request.desiredAPIVersion)} is not one of ` +
        CONVERTIBLE_VERSIONS.map((version) => `${GROUP}/${version}`).join(', '),
    );
  const convertedObjects: unknown[] = [];
  for (const [index, object] of request.objects.entries()) {
    const where = describeObject(object, index);
    if (!isRecord(object)) return failed(`${where}: expected an object, got ${preview(object)}`);
    try {
      convertedObjects.push(convertObject(object, to));
    } catch (error) {
      if (error instanceof ConversionError) return failed(`${where}: ${error.message}`);
      const failure = describeFailure(error);
      return failed(`${where}: cannot be converted to ${to} (internal error)`, failure);
    }
  }
  return { response: { convertedObjects, result: { status: 'Success' } } };
}
