import type { AdmissionAttributes } from '../kind-admission.js';
import { field, isRecord } from '../object-fields.js';

/**
 * Cluster API's topology controller dry-runs template changes with this annotation to compute
 * diffs; those requests may change an otherwise immutable template (CAPI's IsDryRunRequest).
 */
export function isTopologyDryRun(attributes: AdmissionAttributes): boolean {
  const annotations = field(attributes.object, 'metadata', 'annotations');
  return attributes.dryRun && isRecord(annotations) && 'topology.cluster.x-k8s.io/dry-run' in annotations;
}
