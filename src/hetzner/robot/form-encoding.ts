/** A form field's value: one string, or a list sent as `name[]=a&name[]=b`; undefined is left out. */
export type FormValue = string | readonly string[] | undefined;

/**
 * Encodes a Robot request body as `application/x-www-form-urlencoded` (as the Robot webservice docs require).
 * Lists use the PHP-style `name[]=` the Robot webservice documents for its array fields
 * (`authorized_key[]`), one pair per element in order; an empty list sends nothing. Names and
 * values are percent-encoded by WHATWG rules (space as `+`, `+` and `/` in key material escaped).
 */
export function encodeForm(fields: Readonly<Record<string, FormValue>>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (typeof value === 'string') params.append(name, value);
    else for (const item of value) params.append(`${name}[]`, item);
  }
  return params.toString();
}
