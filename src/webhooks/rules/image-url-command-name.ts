import { fieldError, type FieldError } from '../field-errors.js';

/** The command is a basename below /shared and must start with `image-url-command-`. */
export const IMAGE_URL_COMMAND_PATTERN = /^image-url-command-[a-z0-9][a-z0-9._-]*$/;
const ALLOWED = `a file name below /shared such as image-url-command-install.sh`;

/**
 * CAPH's checks in CAPH's order (first failure wins, one error per field), with the
 * `image-url-command-` prefix in place of CAPH's looser regex.
 */
export function validateImageUrlCommandName(path: string, name: string): FieldError | undefined {
  if (name === '' || name.includes('/')) {
    return fieldError.invalid(path, name, `must be a basename without slashes (${ALLOWED})`);
  }
  if (name.includes('..')) return fieldError.invalid(path, name, `must not contain '..' (${ALLOWED})`);
  if (!IMAGE_URL_COMMAND_PATTERN.test(name)) {
    return fieldError.invalid(
      path,
      name,
      `must match the regex ${IMAGE_URL_COMMAND_PATTERN.source} (${ALLOWED})`,
    );
  }
  return undefined;
}
