import { fieldError, type FieldError } from '../field-errors.js';
import { field, jsonEqual } from '../object-fields.js';

/** One Forbidden `field is immutable` error per listed field of `base` that changed. */
export function immutableFieldErrors(
  oldObject: unknown,
  newObject: unknown,
  base: readonly string[],
  names: readonly string[],
): FieldError[] {
  return names
    .filter((name) => !jsonEqual(field(oldObject, ...base, name), field(newObject, ...base, name)))
    .map((name) => fieldError.forbidden([...base, name].join('.'), 'field is immutable'));
}
