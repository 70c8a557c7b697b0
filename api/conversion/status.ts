/**
 * The status mapping between v1beta1 and v1beta2 (see api/v1beta2/status.ts for the fields).
 * Pure functions on JSON objects; what the target cannot hold is dropped here and kept by
 * `convert.ts` in the conversion-data annotation.
 */

export type Json = Record<string, unknown>;

export interface StatusMapping {
  /** The v1beta1 status has `ready` (v1beta2: `initialization.provisioned`). */
  readonly initialization?: boolean;
  /** The v1beta1 status has `failureReason`/`failureMessage`. */
  readonly failure?: boolean;
  /** `failureDomains` is a map in v1beta1 and a list by name in v1beta2 (HetznerCluster). */
  readonly failureDomainList?: boolean;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function without(object: Json, keys: readonly string[]): Json {
  return Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
}

const DEPRECATED_KEYS = ['conditions', 'failureReason', 'failureMessage'] as const;

/** The keys of `status.deprecated.v1beta1` a kind has. */
function deprecatedKeys(mapping: StatusMapping): readonly string[] {
  return mapping.failure ? DEPRECATED_KEYS : ['conditions'];
}

function pick(object: Json, keys: readonly string[]): Json {
  return Object.fromEntries(keys.filter((key) => object[key] !== undefined).map((key) => [key, object[key]]));
}

function failureDomainList(domains: Json): Json[] {
  return Object.keys(domains)
    .sort()
    .map((name) => ({ name, ...(domains[name] as Json) }));
}

function failureDomainMap(domains: Json[]): Json {
  return Object.fromEntries(domains.map(({ name, ...domain }) => [String(name), domain]));
}

export function statusToV1Beta2(status: Json, mapping: StatusMapping): Json {
  const out = without(status, ['conditions', 'v1beta2', 'failureReason', 'failureMessage', 'ready']);
  const v1beta2 = status.v1beta2;
  if (isObject(v1beta2) && v1beta2.conditions !== undefined) out.conditions = v1beta2.conditions;
  const deprecated = pick(status, deprecatedKeys(mapping));
  if (Object.keys(deprecated).length > 0) out.deprecated = { v1beta1: deprecated };
  if (mapping.initialization && status.ready !== undefined) {
    out.initialization = { provisioned: status.ready };
  }
  if (mapping.failureDomainList && isObject(status.failureDomains)) {
    out.failureDomains = failureDomainList(status.failureDomains);
  }
  return out;
}

export function statusToV1Beta1(status: Json, mapping: StatusMapping): Json {
  const out = without(status, ['conditions', 'deprecated', 'initialization']);
  if (status.conditions !== undefined) out.v1beta2 = { conditions: status.conditions };
  const deprecated = isObject(status.deprecated) ? status.deprecated.v1beta1 : undefined;
  if (isObject(deprecated)) Object.assign(out, pick(deprecated, deprecatedKeys(mapping)));
  const provisioned = isObject(status.initialization) ? status.initialization.provisioned : undefined;
  if (mapping.initialization && provisioned !== undefined) out.ready = provisioned;
  if (mapping.failureDomainList && Array.isArray(status.failureDomains)) {
    out.failureDomains = failureDomainMap(status.failureDomains as Json[]);
  }
  return out;
}
