import { stringify } from 'yaml';
import {
  CONTRACT_LABELS,
  GROUP,
  VERSION,
  kinds,
  type KindDefinition,
  type PrinterColumn,
} from '../v1beta1/index.js';
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
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      additionalPrinterColumns: PrinterColumn[];
      schema: { openAPIV3Schema: CrdSchema };
      subresources: { status?: Record<string, never> };
    }[];
  };
}

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

/** The CustomResourceDefinition of `kind`: one version, v1beta1, served and stored. */
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
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          additionalPrinterColumns: kind.printerColumns.map((column) => ({ ...column })),
          schema: { openAPIV3Schema: openApiSchema(kind) },
          subresources: kind.statusSubresource ? { status: {} } : {},
        },
      ],
    },
  };
}

/** `config/crd/bases/<this>` for `kind`, named as controller-gen names CAPH's. */
export function crdFileName(kind: KindDefinition): string {
  return `${GROUP}_${kind.plural}.yaml`;
}

const HEADER =
  '# Generated from api/v1beta1 by api/crd/generate.ts; do not edit.\n' +
  '# Regenerate with: node --import tsx api/crd/generate.ts\n';

/** The YAML text of a CRD file: a header, then the CRD with every map's keys sorted. */
export function renderCrdYaml(crd: CustomResourceDefinition): string {
  return `${HEADER}---\n${stringify(crd, { sortMapEntries: true, lineWidth: 0 })}`;
}

/** Every CRD file, by file name, as the generator writes them to config/crd/bases. */
export function renderCrdFiles(): Map<string, string> {
  return new Map(kinds.map((kind) => [crdFileName(kind), renderCrdYaml(buildCrd(kind))]));
}
