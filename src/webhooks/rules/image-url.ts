import { fieldError, type FieldError } from '../field-errors.js';
import { parseRequestURI } from '../url/parse-request-uri.js';
import { redactUrlPasswords } from './redact-url.js';

const EXAMPLES = 'an absolute URL such as oci://ghcr.io/org/image:v1 or https://example.com/disk.img.zst';

/** The URL must be accepted by Go's url.ParseRequestURI (as CAPH checks it). */
export function validateImageUrl(path: string, url: string): FieldError | undefined {
  const result = parseRequestURI(url);
  if (!('kind' in result)) return undefined;
  return fieldError.invalid(
    path,
    redactUrlPasswords(url),
    `${redactUrlPasswords(result.message)} (want ${EXAMPLES})`,
  );
}
