import type { HetznerClusterSpec } from '../../../api/v1beta1/hetzner-cluster.js';
import type { Scope } from '../../kube/index.js';
import type { Check } from './checks.js';
import { clusterNameOf } from './cluster-links.js';
import { controlPlaneServers } from './control-plane-servers.js';
import { deleteInfrastructure } from './infra-delete.js';
import { reconcileInfrastructure } from './infra-phase.js';
import type { PhaseContext } from './phases.js';
import { hetznerClusters as hetznerClustersKind, type HetznerClusterObject } from './types.js';

type ClusterScope = Scope<HetznerClusterObject>;

export interface InfraOutcome {
  readonly checks: readonly Check[];
  readonly requeueAfterMs?: number;
  /** The spec with the endpoint this reconcile wrote (for the ControlPlaneEndpointSet check). */
  readonly spec: HetznerClusterSpec;
}

/**
 * Network, placement groups and load balancer for this token; then CAPH's endpoint rule: with the
 * load balancer on and no endpoint given, `spec.controlPlaneEndpoint` becomes its IPv4 and `port`
 * (Cluster API copies it into the Cluster). A user's endpoint is never changed.
 */
export async function reconcileClusterInfrastructure(
  context: PhaseContext,
  scope: ClusterScope,
  token: string,
): Promise<InfraOutcome> {
  const { object } = scope;
  const { infraFor, clock } = context.deps;
  if (infraFor === undefined) return { checks: [], spec: object.spec };
  const namespace = object.metadata.namespace ?? '';
  const clusterName = clusterNameOf(object, context.caches);
  const result = await reconcileInfrastructure({
    object,
    status: scope.status,
    cloud: infraFor(token),
    controlPlaneServers: clusterName
      ? controlPlaneServers(context.hcloudMachines, namespace, clusterName)
      : [],
    backoff: context.backoff,
    now: clock.now().getTime(),
    event: (input) => scope.event(input),
  });
  const spec = await writeEndpoint(context, scope);
  return { ...result, spec };
}

/** The endpoint to write: only when the load balancer is on and the spec lacks host or port. */
export function endpointFromLoadBalancer(
  spec: HetznerClusterSpec,
  ipv4: string | undefined,
): { host: string; port: number } | undefined {
  const balancer = spec.controlPlaneLoadBalancer;
  if (balancer?.enabled !== true || !ipv4) return undefined;
  const given = { host: '', port: 0, ...spec.controlPlaneEndpoint };
  if (given.host !== '' && given.port !== 0) return undefined;
  return { host: given.host || ipv4, port: given.port || balancer.port };
}

async function writeEndpoint(context: PhaseContext, scope: ClusterScope): Promise<HetznerClusterSpec> {
  const { spec, metadata } = scope.object;
  const controlPlaneEndpoint = endpointFromLoadBalancer(spec, scope.status.controlPlaneLoadBalancer?.ipv4);
  if (controlPlaneEndpoint === undefined) return spec;
  const target = { namespace: metadata.namespace ?? '', name: metadata.name ?? '' };
  await context.deps.client.mergePatch(
    hetznerClustersKind,
    target,
    { spec: { controlPlaneEndpoint } },
    { signal: scope.context.signal },
  );
  scope.event({
    type: 'Normal',
    reason: 'ControlPlaneEndpointSet',
    note: `spec.controlPlaneEndpoint set to the load balancer: ${controlPlaneEndpoint.host}:${controlPlaneEndpoint.port}`,
  });
  return { ...spec, controlPlaneEndpoint };
}

/** The cloud part of the delete phase (after the machines are gone). */
export async function deleteClusterInfrastructure(
  context: PhaseContext,
  scope: ClusterScope,
  token: string | undefined,
): Promise<void> {
  const { infraFor } = context.deps;
  if (infraFor === undefined || token === undefined) return;
  await deleteInfrastructure(scope.object, infraFor(token), (input) => scope.event(input));
  context.backoff.forget(scope.object.metadata.uid);
}
