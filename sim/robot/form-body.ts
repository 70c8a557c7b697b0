import { RobotErrorResponse } from './robot-error-response.js';

/** A form-encoded Robot request body: every value of every field, by its plain name. */
export interface FormBody {
  get(name: string): string | undefined;
  all(name: string): readonly string[];
}

/**
 * Parses `application/x-www-form-urlencoded`, folding the list encodings clients use into one
 * name: `k=a&k=b`, PHP-style `k[]=a&k[]=b` and indexed `k[0]=a&k[1]=b`.
 */
export function parseForm(body: Buffer, contentType: string | undefined): FormBody {
  if (body.length > 0 && !(contentType ?? '').startsWith('application/x-www-form-urlencoded'))
    throw new RobotErrorResponse(400, 'INVALID_INPUT', 'invalid input: expected a form-encoded body', {
      missing: null,
      invalid: null,
    });
  const values = new Map<string, string[]>();
  for (const [rawName, value] of new URLSearchParams(body.toString('utf8'))) {
    const name = rawName.replace(/\[\d*\]$/, '');
    values.set(name, [...(values.get(name) ?? []), value]);
  }
  return {
    get: (name) => values.get(name)?.[0],
    all: (name) => values.get(name) ?? [],
  };
}
