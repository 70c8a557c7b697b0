import { formatFieldError, type FieldError } from '../field-errors.js';
import { API_VERSION, GROUP } from '../../../api/v1beta1/kind.js';
import type { KindAdmission } from '../kind-admission.js';
import { stringField } from '../object-fields.js';
import type { ManifestDocument } from './parse-manifests.js';

/**
 * The structural check the apiserver does with the CRD schema: errors for fields of the wrong
 * shape, and the object with the schema's defaults applied.
 */
export type SchemaCheck = (
  kind: string,
  object: unknown,
) => { readonly errors: readonly FieldError[]; readonly object: unknown };

export interface ManifestResult {
  readonly source: string;
  readonly index: number;
  readonly line: number;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly status: 'valid' | 'invalid' | 'skipped';
  readonly fieldErrors: readonly FieldError[];
  /** One readable line per problem (field errors formatted as kubectl shows them). */
  readonly messages: readonly string[];
}

/** Judges each document as `kubectl apply` with imageurl's CRDs and webhooks would on create. */
export function validateManifests(
  documents: readonly ManifestDocument[],
  admissions: readonly KindAdmission[],
  schemaCheck: SchemaCheck,
): ManifestResult[] {
  return documents.map((document) => validateDocument(document, admissions, schemaCheck));
}

type Identity = Pick<ManifestResult, 'source' | 'index' | 'line' | 'apiVersion' | 'kind' | 'name'>;

function identify(document: ManifestDocument): Identity {
  const metadataName =
    stringField(document.object, 'metadata', 'name') ||
    stringField(document.object, 'metadata', 'generateName');
  return {
    source: document.source,
    index: document.index,
    line: document.line,
    apiVersion: stringField(document.object, 'apiVersion'),
    kind: stringField(document.object, 'kind'),
    name: metadataName || '(unnamed)',
  };
}

function validateDocument(
  document: ManifestDocument,
  admissions: readonly KindAdmission[],
  schemaCheck: SchemaCheck,
): ManifestResult {
  const base = identify(document);
  const invalid = (message: string): ManifestResult => ({
    ...base,
    status: 'invalid',
    fieldErrors: [],
    messages: [message],
  });
  if (document.syntaxError !== undefined) return invalid(`syntax error at ${document.syntaxError}`);
  if (base.apiVersion === '' || base.kind === '')
    return invalid('not a Kubernetes object: apiVersion and kind are required');
  const admission = admissions.find((candidate) => candidate.kind === base.kind);
  if (base.apiVersion !== API_VERSION || admission === undefined) {
    return {
      ...base,
      status: 'skipped',
      fieldErrors: [],
      messages: [skipReason(base.apiVersion, admission)],
    };
  }
  const fieldErrors = admissionErrors(admission, schemaCheck, document.object);
  const status = fieldErrors.length > 0 ? 'invalid' : 'valid';
  return { ...base, status, fieldErrors, messages: fieldErrors.map(formatFieldError) };
}

/**
 * Schema first (as the apiserver does), then the webhook's defaulting and rules for a create,
 * so one run reports every problem; the rules read fields defensively, so a structurally broken
 * object still gets its rule errors.
 */
function admissionErrors(
  admission: KindAdmission,
  schemaCheck: SchemaCheck,
  object: unknown,
): readonly FieldError[] {
  const structural = schemaCheck(admission.kind, object);
  const defaulted = admission.default?.(structural.object) ?? structural.object;
  const rules = admission.validate({
    operation: 'CREATE',
    dryRun: false,
    object: defaulted,
    oldObject: undefined,
    namespace: stringField(object, 'metadata', 'namespace'),
  });
  const seen = new Set(structural.errors.map(formatFieldError));
  return [...structural.errors, ...rules.filter((error) => !seen.has(formatFieldError(error)))];
}

function skipReason(apiVersion: string, admission: KindAdmission | undefined): string {
  if (admission !== undefined && apiVersion.startsWith(`${GROUP}/`))
    return `only ${API_VERSION} is validated`;
  return 'not a kind imageurl serves';
}
