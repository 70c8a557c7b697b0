import { CloudErrorResponse } from './cloud-error-response.js';

export type JsonObject = Record<string, unknown>;

/** The request body as a JSON object; `{}` when there is none (hcloud-go sends no body for poweron). */
export function jsonBody(body: Buffer): JsonObject {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw new CloudErrorResponse(400, 'json_error', 'invalid JSON in request body');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new CloudErrorResponse(400, 'json_error', 'request body must be a JSON object');
  return parsed as JsonObject;
}

export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw CloudErrorResponse.invalidField(field, 'must be a string');
  return value;
}

export function requiredString(body: JsonObject, field: string): string {
  const value = optionalString(body, field);
  if (value === undefined || value === '') throw CloudErrorResponse.invalidField(field, 'is required');
  return value;
}

export function optionalBoolean(body: JsonObject, field: string, fallback: boolean): boolean {
  const value = body[field];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw CloudErrorResponse.invalidField(field, 'must be a boolean');
  return value;
}

/**
 * `server_type`, `image`, `location`: an id (number or decimal string) or a name
 * (docs.hetzner.cloud, "Create a Server").
 */
export function idOrName(body: JsonObject, field: string): string | number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && value !== '') return /^\d+$/.test(value) ? Number(value) : value;
  throw CloudErrorResponse.invalidField(field, 'must be an ID or a name');
}

const labelKey =
  /^([a-z0-9A-Z]((?:[-_.]|[a-z0-9A-Z]){0,253}[a-z0-9A-Z])?\/)?[a-z0-9A-Z]((?:[-_.]|[a-z0-9A-Z]|){0,61}[a-z0-9A-Z])?$/;
const labelValue = /^(([a-z0-9A-Z](?:[-_.]|[a-z0-9A-Z]){0,61})?[a-z0-9A-Z]$|$)/;

/** `labels`, checked with the rules hcloud-go applies (`hcloud/labels.go`); `hetzner.cloud/` is reserved. */
export function labels(body: JsonObject, field = 'labels'): Record<string, string> | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value))
    throw CloudErrorResponse.invalidField(field, 'must be an object');
  const result: Record<string, string> = {};
  for (const [key, raw] of Object.entries(value as JsonObject)) {
    if (!validLabel(key, raw))
      throw CloudErrorResponse.invalidField(
        field,
        `label ${JSON.stringify(key.slice(0, 80))} has an invalid key or value`,
      );
    result[key] = raw;
  }
  return result;
}

function validLabel(key: string, value: unknown): value is string {
  return (
    typeof value === 'string' &&
    labelKey.test(key) &&
    labelValue.test(value) &&
    !key.startsWith('hetzner.cloud/')
  );
}

/** An array of ids (ints) or names (strings), as `ssh_keys` is. */
export function idOrNameList(body: JsonObject, field: string): (number | string)[] {
  const value = body[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw CloudErrorResponse.invalidField(field, 'must be an array');
  return value.map((item: unknown) => {
    if (typeof item === 'number' && Number.isSafeInteger(item)) return item;
    if (typeof item === 'string' && item !== '') return /^\d+$/.test(item) ? Number(item) : item;
    throw CloudErrorResponse.invalidField(field, 'entries must be IDs or names');
  });
}
