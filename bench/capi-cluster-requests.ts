import type { RequestCounters } from '../sim/http/request-log.js';

/**
 * hcloud requests as the Cloud simulator counted them (server side), between two snapshots of
 * its counters. The workload cluster's cloud-controller stand-in (sim/kubeadm) looks servers up
 * by name with the same token, as hcloud-cloud-controller-manager would; the bench counts those
 * lookups itself and takes them out of `GET /v1/servers`, so what is left is imageurl's.
 */
export interface RequestSnapshot {
  readonly counters: RequestCounters;
  readonly cloudControllerLookups: number;
}

const CLOUD_CONTROLLER_ENDPOINT = 'GET /v1/servers';

export interface PhaseRequests {
  /** Everything imageurl sent in the phase (the cloud-controller stand-in's lookups left out). */
  readonly total: number;
  /** The nodes the phase is about (created, added, removed or deleted). */
  readonly nodes: number;
  readonly perNode: number;
  readonly byEndpoint: Record<string, number>;
  readonly perNodeByEndpoint: Record<string, number>;
  readonly status429: number;
  readonly cloudControllerLookups: number;
}

const round = (value: number): number => Math.round(value * 100) / 100;

function difference(
  after: Readonly<Record<string, number>>,
  before: Readonly<Record<string, number>>,
): Record<string, number> {
  const entries = Object.entries(after)
    .map(([key, count]) => [key, count - (before[key] ?? 0)] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1]);
  return Object.fromEntries(entries);
}

/** The requests between `before` and `after`, per node of `nodes`. */
export function phaseRequests(before: RequestSnapshot, after: RequestSnapshot, nodes: number): PhaseRequests {
  const lookups = after.cloudControllerLookups - before.cloudControllerLookups;
  const ours = (s: RequestSnapshot): Record<string, number> => ({
    ...s.counters.byEndpoint,
    [CLOUD_CONTROLLER_ENDPOINT]:
      (s.counters.byEndpoint[CLOUD_CONTROLLER_ENDPOINT] ?? 0) - s.cloudControllerLookups,
  });
  const byEndpoint = difference(ours(after), ours(before));
  const total = after.counters.total - before.counters.total - lookups;
  return {
    total,
    nodes,
    perNode: round(total / nodes),
    byEndpoint,
    perNodeByEndpoint: Object.fromEntries(
      Object.entries(byEndpoint).map(([endpoint, count]) => [endpoint, round(count / nodes)]),
    ),
    status429: (after.counters.byStatus['429'] ?? 0) - (before.counters.byStatus['429'] ?? 0),
    cloudControllerLookups: lookups,
  };
}
