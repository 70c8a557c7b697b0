import { stringify } from 'yaml';
import {
  CONTRACT_LABELS,
  GROUP,
  VERSION,
  kinds,
  type KindDefinition,
  type PrinterColumn,
} from '../v1beta1/index.js';
import { CONVERSION_PATH } from '../conversion/convert.js';
import { V1BETA2, v1beta2Kinds } from '../v1beta2/index.js';
import { toCrdSchema, type CrdSchema } from './crd-schema.js';
import { assertCrdSchema } from './lint.js';

/** A CustomResourceDefinition (apiextensions.k8s.io/v1) as plain JSON, with its JSON field names. */
export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    group: string;
    names: {
      kind: string;
      listKind: string;
      plural: string;
      singular: string;
      shortNames: string[];
      categories?: string[];
    };
    scope: 'Namespaced';
    conversion: CrdConversion;
    versions: CrdVersion[];
  };
}

/** One entry of a CRD's `spec.versions`. */
export interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  additionalPrinterColumns: PrinterColumn[];
  schema: { openAPIV3Schema: CrdSchema };
  subresources: { status?: Record<string, never> };
}

/** `spec.conversion`: the apiserver asks the webhook server to convert between the versions. */
export interface CrdConversion {
  strategy: 'Webhook';
  webhook: {
    conversionReviewVersions: ['v1'];
    clientConfig: { service: { name: string; namespace: string; path: string } };
  };
}

/**
 * The Service of config/webhook, as the admission webhooks name it; kustomize prefixes the name
 * and sets the namespace, cert-manager injects the CA (config/default).
 */
const CONVERSION: CrdConversion = {
  strategy: 'Webhook',
  webhook: {
    conversionReviewVersions: ['v1'],
    clientConfig: { service: { name: 'webhook-service', namespace: 'system', path: CONVERSION_PATH } },
  },
};

const API_VERSION_DESCRIPTION =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert ' +
  'recognized schemas to the latest internal value, and may reject unrecognized values. More info: ' +
  'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DESCRIPTION =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this ' +
  'from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: ' +
  'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

/** The openAPIV3Schema of `kind`: apiVersion, kind, metadata (the apiserver's), spec and status. */
export function openApiSchema(kind: KindDefinition): CrdSchema {
  const properties: Record<string, CrdSchema> = {
    apiVersion: { description: API_VERSION_DESCRIPTION, type: 'string' },
    kind: { description: KIND_DESCRIPTION, type: 'string' },
    metadata: { type: 'object' },
    spec: toCrdSchema(kind.spec),
  };
  if (kind.status !== undefined) properties.status = toCrdSchema(kind.status);
  const schema: CrdSchema = { description: kind.description, type: 'object', properties };
  assertCrdSchema(schema, kind.kind);
  return schema;
}

function crdVersion(kind: KindDefinition, name: string, storage: boolean): CrdVersion {
  return {
    name,
    served: true,
    storage,
    additionalPrinterColumns: kind.printerColumns.map((column) => ({ ...column })),
    schema: { openAPIV3Schema: openApiSchema(kind) },
    subresources: kind.statusSubresource ? { status: {} } : {},
  };
}

/** The v1beta2 definition of the kind `kind` defines in v1beta1. */
function v1beta2Of(kind: KindDefinition): KindDefinition {
  const found = v1beta2Kinds.find((candidate) => candidate.kind === kind.kind);
  if (!found) throw new Error(`${kind.kind} has no v1beta2 definition in api/v1beta2`);
  return found;
}

/**
 * The CustomResourceDefinition of `kind`: v1beta1 (stored) and v1beta2, both served, converted
 * by the webhook server's /convert (docs/adr/0014-v1beta2-and-conversion.md).
 */
export function buildCrd(kind: KindDefinition): CustomResourceDefinition {
  const names: CustomResourceDefinition['spec']['names'] = {
    kind: kind.kind,
    listKind: kind.listKind,
    plural: kind.plural,
    singular: kind.singular,
    shortNames: [...kind.shortNames],
  };
  if (kind.categories.length > 0) names.categories = [...kind.categories];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.plural}.${GROUP}`, labels: { ...CONTRACT_LABELS } },
    spec: {
      group: GROUP,
      names,
      scope: kind.scope,
      conversion: structuredClone(CONVERSION),
      versions: [crdVersion(kind, VERSION, true), crdVersion(v1beta2Of(kind), V1BETA2, false)],
    },
  };
}

/** `config/crd/bases/<this>` for `kind`, named as controller-gen names CAPH's. */
export function crdFileName(kind: KindDefinition): string {
  return `${GROUP}_${kind.plural}.yaml`;
}

const HEADER =
  '# Generated from api/v1beta1 and api/v1beta2 by api/crd/generate.ts; do not edit.\n' +
  '# Regenerate with: node --import tsx api/crd/generate.ts\n';

/** The YAML text of a CRD file: a header, then the CRD with every map's keys sorted. */
export function renderCrdYaml(crd: CustomResourceDefinition): string {
  return `${HEADER}---\n${stringify(crd, { sortMapEntries: true, lineWidth: 0 })}`;
}

/** Every CRD file, by file name, as the generator writes them to config/crd/bases. */
export function renderCrdFiles(): Map<string, string> {
  return new Map(kinds.map((kind) => [crdFileName(kind), renderCrdYaml(buildCrd(kind))]));
}
