import { ConversionError, convertObject } from '../../../api/conversion/index.js';
import { VERSION } from '../../../api/v1beta1/kind.js';
import { fieldError, type FieldError } from '../field-errors.js';

type Json = Parameters<typeof convertObject>[0];

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The object as the admission webhooks see it: their rules are registered for the stored
 * version, and the apiserver converts an object written in another served version (v1beta2)
 * through /convert before calling them (matchPolicy Equivalent). The specs are the same in both
 * versions, so a rule's error names the same field either way.
 */
export function inStoredVersion(
  object: unknown,
): { readonly object: unknown } | { readonly error: FieldError } {
  if (!isJson(object)) return { object };
  try {
    return { object: convertObject(object, VERSION) };
  } catch (error) {
    if (!(error instanceof ConversionError)) throw error;
    return { error: fieldError.invalid('apiVersion', object['apiVersion'], error.message) };
  }
}
