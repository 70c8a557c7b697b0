import type { z } from 'zod';
import { CAPI_CONTRACT, CAPI_GROUP } from '../cluster-api.js';
import { ReadyCondition } from '../conditions/index.js';

/** The API group of every kind imageurl serves (the same as CAPH's). */
export const GROUP = 'infrastructure.cluster.x-k8s.io';
/** The one version imageurl serves and stores. */
export const VERSION = 'v1beta1';
/** `apiVersion` of every object of these kinds. */
export const API_VERSION = `${GROUP}/${VERSION}`;

/**
 * The Cluster API contract labels every CRD carries, as CAPH's CRDs do (CAPH adds them with
 * kustomize `commonLabels`): Cluster API reads a provider's objects in the served version its
 * contract's label names. Both contracts are declared: a v1beta2 core reads v1beta2 (converted
 * from the stored v1beta1 by the webhook server's /convert), an older core v1beta1.
 */
export const CONTRACT_LABELS: Readonly<Record<string, string>> = {
  [`${CAPI_GROUP}/v1beta1`]: VERSION,
  [`${CAPI_GROUP}/${CAPI_CONTRACT}`]: CAPI_CONTRACT,
};

/** One `additionalPrinterColumns` entry of a CRD (what `kubectl get` shows). */
export interface PrinterColumn {
  readonly name: string;
  readonly type: 'string' | 'boolean' | 'date' | 'integer' | 'number';
  readonly jsonPath: string;
  readonly description?: string;
  /** 0 (default) shows in `kubectl get`; higher only in `-o wide`. */
  readonly priority?: number;
}

/** Everything a CustomResourceDefinition needs to know about one kind. */
export interface KindDefinition {
  readonly kind: string;
  readonly listKind: string;
  readonly plural: string;
  readonly singular: string;
  readonly shortNames: readonly string[];
  /** `cluster-api` where CAPH has it (every kind but HetznerBareMetalHost). */
  readonly categories: readonly string[];
  readonly scope: 'Namespaced';
  /** Whether `/status` is a subresource (CAPH: every kind but HetznerBareMetalMachineTemplate). */
  readonly statusSubresource: boolean;
  readonly printerColumns: readonly PrinterColumn[];
  /** The CRD's top-level description. */
  readonly description: string;
  readonly spec: z.ZodType;
  /** Absent for kinds without a status (HetznerBareMetalMachineTemplate). */
  readonly status?: z.ZodType;
  /** The whole object (apiVersion, kind, metadata, spec, status), for parsing. */
  readonly object: z.ZodType;
}

/** CAPH's `Reason` and `Message` columns: the v1beta1 `Ready` condition at `conditionsPath`. */
export function readyConditionColumns(conditionsPath: string): PrinterColumn[] {
  const ready = `${conditionsPath}[?(@.type=='${ReadyCondition.v1beta1.type}')]`;
  return [
    { name: 'Reason', type: 'string', jsonPath: `${ready}.reason` },
    { name: 'Message', type: 'string', jsonPath: `${ready}.message` },
  ];
}

/** The usual `Age` column. */
export function ageColumn(description: string): PrinterColumn {
  return { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description };
}
