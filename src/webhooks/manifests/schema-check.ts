import type { z } from 'zod';
import type { KindDefinition } from '../../../api/v1beta1/kind.js';
import { fieldError, type FieldError } from '../field-errors.js';
import { field, isRecord } from '../object-fields.js';
import type { SchemaCheck } from './validate-manifests.js';

/**
 * What the apiserver does with the CRD schema before any webhook runs, offline: type and enum
 * errors, unknown fields (which `kubectl apply` rejects with strict field validation), and the
 * object with the schema's defaults applied.
 */
export function crdSchemaCheck(definitions: readonly KindDefinition[]): SchemaCheck {
  return (kind, object) => {
    const definition = definitions.find((candidate) => candidate.kind === kind);
    if (definition === undefined) return { errors: [], object };
    const parsed = definition.object.safeParse(object);
    if (!parsed.success)
      return { errors: parsed.error.issues.map((issue) => issueToFieldError(issue, object)), object };
    return { errors: unknownFields(object, parsed.data, []), object: parsed.data };
  };
}

function issueToFieldError(issue: z.core.$ZodIssue, object: unknown): FieldError {
  const path = issue.path.map(String);
  const fieldPath = formatPath(issue.path);
  const value = field(object, ...path);
  if (value === undefined) return fieldError.required(fieldPath, '');
  if (issue.code === 'invalid_value')
    return fieldError.notSupported(fieldPath, value, issue.values.map(String));
  return fieldError.invalid(fieldPath, value, issue.message);
}

/** Fields of `input` the schema pruned from `output` (metadata keeps every key). */
function unknownFields(input: unknown, output: unknown, path: readonly (string | number)[]): FieldError[] {
  if (Array.isArray(input) && Array.isArray(output)) {
    return input.flatMap((item, index) => unknownFields(item, output[index], [...path, index]));
  }
  if (!isRecord(input) || !isRecord(output)) return [];
  return Object.entries(input).flatMap(([key, value]) =>
    key in output
      ? unknownFields(value, output[key], [...path, key])
      : [fieldError.invalid(formatPath([...path, key]), value, 'field not declared in schema')],
  );
}

/** `spec.sshKeys[1].name`, as Kubernetes prints field paths. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
