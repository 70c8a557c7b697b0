import { isDeepStrictEqual } from 'node:util';
import { GROUP } from '../v1beta1/kind.js';
import { conversionKinds, type ConversionKind } from './kinds.js';
import { statusToV1Beta1, statusToV1Beta2, without, type Json } from './status.js';

/** Where a conversion keeps what the target version cannot hold, as Cluster API does. */
export const CONVERSION_DATA_ANNOTATION = `${GROUP}/conversion-data`;

/** Where the webhook server answers ConversionReviews; the CRDs' conversion webhook names it. */
export const CONVERSION_PATH = '/convert';

export const CONVERTIBLE_VERSIONS = ['v1beta1', 'v1beta2'] as const;
export type ConvertibleVersion = (typeof CONVERTIBLE_VERSIONS)[number];

/** An object that cannot be converted; `code` is stable. */
export class ConversionError extends Error {
  constructor(
    readonly code: 'UnknownKind' | 'UnknownVersion',
    message: string,
  ) {
    super(message);
    this.name = 'ConversionError';
  }
}

/** The annotation's content: a status of `apiVersion` and what it was converted into. */
interface ConversionData {
  readonly apiVersion: string;
  readonly status?: Json;
  readonly convertedTo?: Json;
  /** The source object had `metadata.annotations: {}`, which must come back. */
  readonly emptyAnnotations?: boolean;
}

function versionOf(apiVersion: unknown): ConvertibleVersion {
  const version = typeof apiVersion === 'string' ? apiVersion.slice(GROUP.length + 1) : '';
  if (typeof apiVersion === 'string' && apiVersion.startsWith(`${GROUP}/`)) {
    const known = CONVERTIBLE_VERSIONS.find((candidate) => candidate === version);
    if (known) return known;
  }
  throw new ConversionError(
    'UnknownVersion',
    `apiVersion ${JSON.stringify(String(apiVersion).slice(0, 80))} is not one of ${CONVERTIBLE_VERSIONS.map((v) => `${GROUP}/${v}`).join(', ')}`,
  );
}

function kindOf(object: Json): ConversionKind {
  const kind = typeof object.kind === 'string' ? conversionKinds[object.kind] : undefined;
  if (kind) return kind;
  throw new ConversionError(
    'UnknownKind',
    `kind ${JSON.stringify(String(object.kind).slice(0, 80))} is not one of ${Object.keys(conversionKinds).join(', ')}`,
  );
}

function getAt(object: Json, path: readonly string[]): Json | undefined {
  let current: unknown = object;
  for (const key of path) current = (current as Json | undefined)?.[key];
  return typeof current === 'object' && current !== null ? (current as Json) : undefined;
}

/** A copy of `object` with the value at `path` replaced (parents exist whenever `value` does). */
function setAt(object: Json, path: readonly string[], value: Json | undefined): Json {
  const [key, ...rest] = path;
  if (key === undefined) return object;
  const copy = { ...object };
  if (rest.length === 0) {
    if (value === undefined) return without(copy, [key]);
    copy[key] = value;
  } else if (copy[key] !== undefined) {
    copy[key] = setAt(copy[key] as Json, rest, value);
  }
  return copy;
}

function mapStatus(status: Json, kind: ConversionKind, to: ConvertibleVersion): Json {
  return to === 'v1beta2' ? statusToV1Beta2(status, kind.mapping) : statusToV1Beta1(status, kind.mapping);
}

/** `object` without the conversion-data annotation, and what the annotation held. */
function takeConversionData(object: Json): [Json, ConversionData | undefined] {
  const metadata = (object.metadata ?? {}) as Json;
  const annotations = metadata.annotations as Record<string, string> | undefined;
  const raw = annotations?.[CONVERSION_DATA_ANNOTATION];
  if (raw === undefined) return [object, undefined];
  let data: ConversionData | undefined;
  try {
    data = JSON.parse(raw) as ConversionData;
  } catch {
    data = undefined; // edited by hand: convert as if it were absent
  }
  const rest = without(annotations ?? {}, [CONVERSION_DATA_ANNOTATION]);
  const keep = Object.keys(rest).length > 0 || data?.emptyAnnotations === true;
  const newMetadata = keep ? { ...metadata, annotations: rest } : without(metadata, ['annotations']);
  return [{ ...object, metadata: newMetadata }, data];
}

function withConversionData(object: Json, data: ConversionData): Json {
  const metadata = (object.metadata ?? {}) as Json;
  const annotations = (metadata.annotations ?? {}) as Record<string, string>;
  const full: ConversionData =
    Object.keys(annotations).length === 0 && metadata.annotations !== undefined
      ? { ...data, emptyAnnotations: true }
      : data;
  return {
    ...object,
    metadata: {
      ...metadata,
      annotations: { ...annotations, [CONVERSION_DATA_ANNOTATION]: JSON.stringify(full) },
    },
  };
}

/**
 * `object` (any kind of api/v1beta1 at v1beta1 or v1beta2) in version `to`. Round trips are
 * exact: what `to` cannot hold is kept in the conversion-data annotation and restored on the
 * way back as long as the status is still what it was converted into.
 */
export function convertObject(input: Json, to: ConvertibleVersion): Json {
  const from = versionOf(input.apiVersion);
  const kind = kindOf(input);
  if (from === to) return input;
  const [object, data] = takeConversionData(input);
  const path = kind.statusPath;
  const converted = { ...object, apiVersion: `${GROUP}/${to}` };
  if (path === undefined) return converted;
  const status = getAt(object, path);
  if (data?.apiVersion === converted.apiVersion && isDeepStrictEqual(data.convertedTo, status)) {
    return setAt(converted, path, data.status);
  }
  if (status === undefined) return converted;
  const mapped = mapStatus(status, kind, to);
  const result = setAt(converted, path, mapped);
  if (isDeepStrictEqual(mapStatus(mapped, kind, from), status)) return result;
  return withConversionData(result, { apiVersion: input.apiVersion as string, status, convertedTo: mapped });
}
