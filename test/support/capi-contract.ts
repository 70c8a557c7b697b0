// What Cluster API's managers see of imageurl's objects through the v1beta2 contract: the
// version they ask for (from kube-apiserver's audit log) and the v1beta2 fields they read.
import assert from 'node:assert/strict';
import { GROUP } from '../../api/v1beta1/index.js';
import type { KindRef, KubeObject } from '../../src/kube/index.js';
import { requestsByAgent, type AgentRequest } from './audit-log.js';
import type { CapiEnv } from './capi-controllers.js';
import { listIn } from './capi-cluster-objects.js';

/** Cluster API's core manager names itself so in every request (its binary's name). */
export const CORE_MANAGER_AGENT = 'cluster-api-manager/';

/** The same kind, read in v1beta2 (converted from the stored v1beta1 by the webhook server). */
export const inV1beta2 = (kind: KindRef): KindRef => ({ ...kind, version: 'v1beta2' });

/** The core manager's requests for imageurl's kinds, by version. */
export async function coreManagerRequests(
  e: CapiEnv,
): Promise<Record<'v1beta1' | 'v1beta2', AgentRequest[]>> {
  const log = e.auditLog ?? assert.fail('the environment was started without an audit log');
  const ours = await requestsByAgent(log, (uri) => uri.startsWith(`/apis/${GROUP}/`));
  const core = ours.filter((request) => request.userAgent.startsWith(CORE_MANAGER_AGENT));
  return {
    v1beta1: core.filter((request) => request.uri.startsWith(`/apis/${GROUP}/v1beta1/`)),
    v1beta2: core.filter((request) => request.uri.startsWith(`/apis/${GROUP}/v1beta2/`)),
  };
}

export interface V1beta2Condition {
  readonly type: string;
  readonly status: string;
  readonly reason: string;
  readonly observedGeneration?: number;
}

/** The v1beta2 contract's status of an InfraMachine or InfraCluster. */
export interface V1beta2Status {
  readonly initialization?: { readonly provisioned?: boolean };
  readonly conditions?: readonly V1beta2Condition[];
  readonly failureDomains?: readonly { readonly name: string; readonly controlPlane?: boolean }[];
  readonly deprecated?: { readonly v1beta1?: Record<string, unknown> };
  /** Not part of v1beta2: must be absent. */
  readonly ready?: unknown;
  readonly failureReason?: unknown;
  readonly failureMessage?: unknown;
}

export type V1beta2Object = KubeObject & { status?: V1beta2Status };

/** The objects of `kind` in `namespace`, read in v1beta2. */
export function listV1beta2(
  e: CapiEnv,
  kind: KindRef,
  namespace: string,
  selector?: string,
): Promise<V1beta2Object[]> {
  return listIn<V1beta2Object>(e, inV1beta2(kind), namespace, selector);
}

/** Asserts what the v1beta2 contract asks of a provisioned InfraMachine or InfraCluster. */
export function assertProvisionedV1beta2(object: V1beta2Object): void {
  const name = `${object.kind ?? ''} ${object.metadata.name ?? ''}`;
  const status = object.status ?? assert.fail(`${name} has no status`);
  assert.equal(object.apiVersion, `${GROUP}/v1beta2`, name);
  assert.equal(status.initialization?.provisioned, true, `${name}: initialization.provisioned`);
  const ready = status.conditions?.find((condition) => condition.type === 'Ready');
  assert.equal(ready?.status, 'True', `${name}: Ready condition ${JSON.stringify(status.conditions)}`);
  assert.ok(ready.reason !== '', `${name}: a metav1 Ready condition has a reason`);
  for (const key of ['ready', 'failureReason', 'failureMessage'] as const)
    assert.equal(status[key], undefined, `${name}: ${key} is v1beta1 only`);
}
