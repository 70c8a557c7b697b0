import { HetznerClusterConditions as C } from '../../../api/conditions/index.js';
import type { Check } from './checks.js';

const network = C.NetworkReady;
const groups = C.PlacementGroupsSynced;
const balancer = C.LoadBalancerReady;

/** Why the load balancer is not ready: CAPH's v1beta1 reason and its v1beta2 twin. */
export type LoadBalancerProblem = 'create' | 'update' | 'services' | 'own' | 'network';

const balancerReasons: Record<LoadBalancerProblem, { readonly v1: string; readonly v2: string }> = {
  create: {
    v1: balancer.v1beta1.reasons.LoadBalancerCreateFailed,
    v2: balancer.v1beta2.reasons.CreationFailed,
  },
  update: {
    v1: balancer.v1beta1.reasons.LoadBalancerUpdateFailed,
    v2: balancer.v1beta2.reasons.UpdateFailed,
  },
  services: {
    v1: balancer.v1beta1.reasons.LoadBalancerServiceSyncFailed,
    v2: balancer.v1beta2.reasons.SyncingServicesFailed,
  },
  own: { v1: balancer.v1beta1.reasons.LoadBalancerFailedToOwn, v2: balancer.v1beta2.reasons.OwningFailed },
  network: {
    v1: balancer.v1beta1.reasons.NetworkAttachFailed,
    v2: balancer.v1beta2.reasons.AttachingToNetworkFailed,
  },
};

const ok = (type: string, v2Reason: string): Check => ({
  type,
  status: 'True',
  gatesReady: true,
  v2: { type, status: 'True', reason: v2Reason },
});

/**
 * A failing infrastructure step. Severity Warning as CAPH, Error for what an operator has to fix
 * (a quota, a wrong spec); `status` Unknown while a step waits for the one before it.
 */
const failing = (
  type: string,
  reasons: { readonly v1: string; readonly v2: string },
  message: string,
  severity: Check['severity'] = 'Warning',
): Check => ({
  type,
  status: 'False',
  reason: reasons.v1,
  message,
  severity,
  gatesReady: true,
  v2: { type, status: 'False', reason: reasons.v2 },
});

export const infraChecks = {
  networkReady: (): Check => ok(network.v1beta1.type, network.v1beta2.reasons.Ready),
  networkFailed: (message: string, severity?: Check['severity']): Check =>
    failing(
      network.v1beta1.type,
      { v1: network.v1beta1.reasons.NetworkReconcileFailed, v2: network.v1beta2.reasons.ReconcilingFailed },
      message,
      severity,
    ),
  placementGroupsSynced: (): Check => ok(groups.v1beta1.type, groups.v1beta2.reasons.Synced),
  placementGroupsFailed: (message: string, severity?: Check['severity']): Check =>
    failing(
      groups.v1beta1.type,
      { v1: groups.v1beta1.reasons.PlacementGroupsSyncFailed, v2: groups.v1beta2.reasons.SyncingFailed },
      message,
      severity,
    ),
  loadBalancerReady: (): Check => ok(balancer.v1beta1.type, balancer.v1beta2.reasons.Ready),
  loadBalancerFailed: (problem: LoadBalancerProblem, message: string, severity?: Check['severity']): Check =>
    failing(balancer.v1beta1.type, balancerReasons[problem], message, severity),
};
