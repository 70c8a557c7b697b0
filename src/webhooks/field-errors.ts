/**
 * Field errors in the vocabulary and text format of Kubernetes' `field.ErrorList`, so users see
 * the messages they know from other providers (and from CAPH) in kubectl output.
 */
export type FieldErrorType =
  'Invalid' | 'Required' | 'Forbidden' | 'NotSupported' | 'Duplicate' | 'TooLong' | 'Unknown';

export interface FieldError {
  readonly type: FieldErrorType;
  /** JSON path as Kubernetes prints it: `spec.installImage.image.url`, `spec.sshKeys[1].name`. */
  readonly field: string;
  /** The offending value; omitted for Required and Forbidden, or when it may be a secret. */
  readonly value?: unknown;
  /** What is wrong and what would be valid. */
  readonly detail: string;
}

const MAX_VALUE_LENGTH = 100;

export const fieldError = {
  invalid: (field: string, value: unknown, detail: string): FieldError => ({
    type: 'Invalid',
    field,
    value,
    detail,
  }),
  required: (field: string, detail: string): FieldError => ({ type: 'Required', field, detail }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'Forbidden', field, detail }),
  notSupported: (field: string, value: unknown, supported: readonly string[]): FieldError => ({
    type: 'NotSupported',
    field,
    value,
    detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
  }),
  duplicate: (field: string, value: unknown): FieldError => ({ type: 'Duplicate', field, value, detail: '' }),
  tooLong: (field: string, detail: string): FieldError => ({ type: 'TooLong', field, detail }),
  /** A field the schema does not declare (strict field validation's `unknown field`). */
  unknown: (field: string, suggestion: string | undefined): FieldError => ({
    type: 'Unknown',
    field,
    detail: suggestion === undefined ? '' : `did you mean ${suggestion}?`,
  }),
};

const typeText: Record<FieldErrorType, string> = {
  Invalid: 'Invalid value',
  Required: 'Required value',
  Forbidden: 'Forbidden',
  NotSupported: 'Unsupported value',
  Duplicate: 'Duplicate value',
  TooLong: 'Too long',
  Unknown: 'unknown field',
};

/** `spec.imageURL: Invalid value: "x": detail`, with the value truncated to 100 characters. */
export function formatFieldError(error: FieldError): string {
  if (error.type === 'Unknown')
    return `${error.field}: ${typeText.Unknown}${error.detail === '' ? '' : `; ${error.detail}`}`;
  const parts = [`${error.field}: ${typeText[error.type]}`];
  if ('value' in error && error.type !== 'Required' && error.type !== 'Forbidden')
    parts.push(formatValue(error.value));
  if (error.detail !== '') parts.push(error.detail);
  return parts.join(': ');
}

/** Kubernetes' `Invalid` status message: `Kind.group "name" is invalid: [e1, e2]` (no brackets for one). */
export function formatInvalid(qualifiedKind: string, name: string, errors: readonly FieldError[]): string {
  const texts = errors.map(formatFieldError);
  const list = texts.length === 1 ? (texts[0] ?? '') : `[${texts.join(', ')}]`;
  return `${qualifiedKind} "${name}" is invalid: ${list}`;
}

export function formatValue(value: unknown): string {
  const text =
    typeof value === 'string' ? value : ((JSON.stringify(value) as string | undefined) ?? String(value));
  const truncated = text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}...` : text;
  return typeof value === 'string' || text.length > MAX_VALUE_LENGTH ? JSON.stringify(truncated) : truncated;
}
