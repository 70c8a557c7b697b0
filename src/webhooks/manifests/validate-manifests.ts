import { formatFieldError, type FieldError } from '../field-errors.js';
import type { KindAdmission } from '../kind-admission.js';
import { stringField } from '../object-fields.js';
import { parsePath } from './field-path.js';
import { objectsOf, type ManifestObject } from './list-items.js';
import { sizeProblems } from './object-size.js';
import type { ManifestDocument } from './parse-manifests.js';
import { inStoredVersion } from './stored-version.js';
import { judgeKind } from './served-kinds.js';

/**
 * The structural check the apiserver does with the CRD schema: errors for fields of the wrong
 * shape, and the object with the schema's defaults applied.
 */
export type SchemaCheck = (
  kind: string,
  object: unknown,
) => { readonly errors: readonly FieldError[]; readonly object: unknown };

/** What `imageurl validate` judges with: the served kinds, their schemas and their admission rules. */
export interface ManifestRules {
  /** Every kind imageurl serves in its group (the API's registry of kinds). */
  readonly servedKinds: readonly string[];
  readonly admissions: readonly KindAdmission[];
  readonly schemaCheck: SchemaCheck;
}

/** One problem, at the line of the field it is about (or of the object). */
export interface ManifestProblem {
  readonly line: number;
  /** One readable line (field errors formatted as kubectl shows them). */
  readonly message: string;
  readonly fieldError?: FieldError;
}

export interface ManifestResult {
  readonly source: string;
  /** 1-based position of the document in its source. */
  readonly index: number;
  /** The line where the object starts. */
  readonly line: number;
  /** `items[2]` for an item of a List. */
  readonly item?: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly status: 'valid' | 'invalid' | 'skipped';
  readonly problems: readonly ManifestProblem[];
  /** Why a document was skipped. */
  readonly note?: string;
}

/** Judges each object as `kubectl apply` with imageurl's CRDs and webhooks would on create. */
export function validateManifests(
  documents: readonly ManifestDocument[],
  rules: ManifestRules,
): ManifestResult[] {
  return documents.flatMap((document) =>
    document.syntaxError === undefined
      ? objectsOf(document).map((object) => validateObject(object, rules))
      : [syntaxResult(document, document.syntaxError)],
  );
}

type Identity = Omit<ManifestResult, 'status' | 'problems' | 'note'>;

function identify(entry: ManifestObject): Identity {
  const name =
    stringField(entry.object, 'metadata', 'name') || stringField(entry.object, 'metadata', 'generateName');
  return {
    source: entry.document.source,
    index: entry.document.index,
    line: entry.lineOf([]),
    ...(entry.item === undefined ? {} : { item: entry.item }),
    apiVersion: stringField(entry.object, 'apiVersion'),
    kind: stringField(entry.object, 'kind'),
    name: name || '(unnamed)',
  };
}

function syntaxResult(document: ManifestDocument, syntaxError: string): ManifestResult {
  const base = { source: document.source, index: document.index, line: document.line };
  const problem = { line: document.line, message: `syntax error: ${syntaxError}` };
  return { ...base, apiVersion: '', kind: '', name: '(unnamed)', status: 'invalid', problems: [problem] };
}

function validateObject(entry: ManifestObject, rules: ManifestRules): ManifestResult {
  const base = identify(entry);
  const at = (error: FieldError): ManifestProblem => ({
    line: entry.lineOf(parsePath(error.field)),
    message: formatFieldError(error),
    fieldError: error,
  });
  const result = (problems: readonly ManifestProblem[]): ManifestResult => ({
    ...base,
    status: problems.length > 0 ? 'invalid' : 'valid',
    // In the order of the file, as an editor walks it.
    problems: [...problems].sort((a, b) => a.line - b.line),
  });
  if (base.apiVersion === '' || base.kind === '')
    return result([
      { line: base.line, message: 'not a Kubernetes object: apiVersion and kind are required' },
    ]);
  if (base.kind === 'List')
    return result([{ line: base.line, message: 'items: Required value: a List holds its objects in items' }]);
  const judgement = judgeKind(base.apiVersion, base.kind, rules.servedKinds);
  if (judgement.status === 'foreign')
    return { ...base, status: 'skipped', problems: [], note: 'not a kind imageurl serves' };
  if (judgement.status === 'unserved') return result(judgement.errors.map(at));
  const sizes = sizeProblems(entry.object).map((problem) =>
    'error' in problem ? at(problem.error) : { line: base.line, message: problem.message },
  );
  return result([...sizes, ...admissionErrors(base.kind, rules, entry.object).map(at)]);
}

/**
 * Schema first (as the apiserver does), then the webhook's defaulting and rules for a create,
 * so one run reports every problem; the rules read fields defensively, so a structurally broken
 * object still gets its rule errors. A served kind without admission rules gets the schema only.
 */
function admissionErrors(kind: string, rules: ManifestRules, object: unknown): readonly FieldError[] {
  const structural = rules.schemaCheck(kind, object);
  const admission = rules.admissions.find((candidate) => candidate.kind === kind);
  if (admission === undefined) return structural.errors;
  // The webhooks judge the stored version: the apiserver converts a v1beta2 object first.
  const stored = inStoredVersion(structural.object);
  if ('error' in stored) return [...structural.errors, stored.error];
  const defaulted = admission.default?.(stored.object) ?? stored.object;
  const ruleErrors = admission.validate({
    operation: 'CREATE',
    dryRun: false,
    object: defaulted,
    oldObject: undefined,
    namespace: stringField(object, 'metadata', 'namespace'),
  });
  const seen = new Set(structural.errors.map(formatFieldError));
  return [...structural.errors, ...ruleErrors.filter((error) => !seen.has(formatFieldError(error)))];
}
