/**
 * Runs one kind's pure validator or defaulter on a decoded request and turns the outcome into
 * an admission answer. Nothing here throws: a failing validator or defaulter becomes a denial.
 */
import { GROUP } from '../../../api/v1beta1/kind.js';
import type { AdmissionAttributes } from '../kind-admission.js';
import type { AdmissionRequest, AdmissionResponse } from './admission-review.js';
import { allowed, badRequest, internalError, invalid, patched } from './admission-responses.js';
import { diffJson } from './json-patch.js';
import type { Route } from './routes.js';

/** The answer and what the log should say about it (never object contents). */
export interface Admitted {
  readonly response: AdmissionResponse;
  /** Set when a validator or defaulter threw: its error class and where (no message: it may carry data). */
  readonly failure?: string;
  /** Number of field errors (validate) or patch operations (mutate). */
  readonly count: number;
}

function metadataName(object: unknown): string {
  if (typeof object !== 'object' || object === null) return '';
  const metadata = (object as { metadata?: { name?: unknown } }).metadata;
  return typeof metadata?.name === 'string' ? metadata.name : '';
}

/** The name Kubernetes would put in messages: the request's, else the object's (or the old one's). */
export function objectName(request: AdmissionRequest): string {
  return request.name || metadataName(request.object) || metadataName(request.oldObject);
}

/** `TypeError at /app/src/webhooks/kinds/x.ts:12:5`: enough to find a bug, with no request data in it. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  // The stack starts with the message (which may span lines and carry data); frames follow it.
  const frames = (error.stack ?? '').split('\n').slice(error.message.split('\n').length);
  const top = frames.find((line) => line.trimStart().startsWith('at '));
  const where = top?.match(/\(?([^()\s]+:\d+:\d+)\)?\s*$/)?.[1];
  return where === undefined ? error.name : `${error.name} at ${where}`;
}

function wrongKind(route: Route, request: AdmissionRequest): Admitted | undefined {
  const { group, kind } = request.kind;
  if (group === GROUP && kind === route.admission.kind) return undefined;
  const message = `this webhook admits ${route.admission.kind}.${GROUP}, not ${kind}.${group}`;
  return { response: badRequest(message), count: 0 };
}

function validate(route: Route, request: AdmissionRequest, controllerUsername: string): Admitted {
  const { admission } = route;
  if (request.operation === 'CONNECT') return { response: allowed, count: 0 };
  if (request.operation === 'DELETE' && admission.validateDeletes !== true)
    return { response: allowed, count: 0 };
  const attributes: AdmissionAttributes = {
    operation: request.operation,
    dryRun: request.dryRun,
    object: request.object,
    oldObject: request.oldObject,
    namespace: request.namespace,
    users: { requester: request.username, controller: controllerUsername },
  };
  const name = objectName(request);
  try {
    const errors = admission.validate(attributes);
    const response = errors.length === 0 ? allowed : invalid(admission.kind, name, errors);
    return { response, count: errors.length };
  } catch (error) {
    const what = `internal error in validation of ${admission.kind} "${name}"`;
    return { response: internalError(what, error), failure: describeFailure(error), count: 0 };
  }
}

function mutate(route: Route, request: AdmissionRequest): Admitted {
  const { admission } = route;
  const operation = request.operation;
  if (!admission.default || (operation !== 'CREATE' && operation !== 'UPDATE'))
    return { response: allowed, count: 0 };
  try {
    // The defaulter gets its own copy; its result is compared as the apiserver will see it (JSON).
    const defaulted: unknown = admission.default(structuredClone(request.object));
    if (typeof defaulted !== 'object' || defaulted === null || Array.isArray(defaulted))
      throw new TypeError(
        `the defaulter returned ${Array.isArray(defaulted) ? 'an array' : typeof defaulted}`,
      );
    const operations = diffJson(request.object, JSON.parse(JSON.stringify(defaulted)));
    return { response: patched(operations), count: operations.length };
  } catch (error) {
    const what = `internal error in defaulting of ${admission.kind} "${objectName(request)}"`;
    return { response: internalError(what, error), failure: describeFailure(error), count: 0 };
  }
}

/**
 * The answer to one request on `route`: validation or defaulting as the route says.
 * `controllerUsername` is whose writes count as the controller's own.
 */
export function admit(route: Route, request: AdmissionRequest, controllerUsername: string): Admitted {
  return (
    wrongKind(route, request) ??
    (route.type === 'validate' ? validate(route, request, controllerUsername) : mutate(route, request))
  );
}
