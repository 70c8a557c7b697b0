import type { RuntimeOptions } from './runtime-options.js';

export type FlagKind = 'string' | 'boolean' | 'count' | 'duration' | 'address' | 'level' | 'label-value';

export interface FlagSpec {
  readonly key: keyof RuntimeOptions;
  readonly flag: string;
  readonly env: string;
  readonly kind: FlagKind;
  readonly default: string | undefined;
  readonly description: string;
  /** Cluster API Provider Hetzner's names of this flag, accepted so its Deployment args carry over. */
  readonly aliases?: readonly string[];
  /** CAPH's default where it differs from ours (shown in --help). */
  readonly caphDefault?: string;
}

/** The flags, their environment variables and defaults (for --help and for the CLI to register). */
export const RUNTIME_FLAGS: readonly FlagSpec[] = [
  {
    key: 'kubeconfig',
    flag: 'kubeconfig',
    env: 'IMAGEURL_KUBECONFIG',
    kind: 'string',
    default: undefined,
    description: 'kubeconfig file (default $KUBECONFIG, in-cluster, ~/.kube/config)',
  },
  {
    key: 'namespace',
    flag: 'namespace',
    env: 'IMAGEURL_NAMESPACE',
    kind: 'string',
    default: undefined,
    description: 'watch only this namespace (default all)',
  },
  {
    key: 'watchFilter',
    flag: 'watch-filter',
    env: 'IMAGEURL_WATCH_FILTER',
    kind: 'label-value',
    default: undefined,
    description: 'reconcile only objects labelled cluster.x-k8s.io/watch-filter=<value> (default all)',
  },
  {
    key: 'leaderElect',
    flag: 'leader-elect',
    caphDefault: 'true',
    env: 'IMAGEURL_LEADER_ELECT',
    kind: 'boolean',
    default: 'false',
    description: 'elect a leader with a Lease so one replica reconciles',
  },
  {
    key: 'leaderElectionNamespace',
    flag: 'leader-election-namespace',
    aliases: ['leader-elect-namespace'],
    env: 'IMAGEURL_LEADER_ELECTION_NAMESPACE',
    kind: 'string',
    default: undefined,
    description: "the Lease's namespace (default the pod's)",
  },
  {
    key: 'leaderElectionId',
    flag: 'leader-election-id',
    env: 'IMAGEURL_LEADER_ELECTION_ID',
    kind: 'string',
    default: 'imageurl-controller-leader',
    description: "the Lease's name",
  },
  {
    key: 'leaseDurationMs',
    flag: 'leader-elect-lease-duration',
    env: 'IMAGEURL_LEADER_ELECT_LEASE_DURATION',
    kind: 'duration',
    default: '15s',
    description: 'how long others wait before taking over',
  },
  {
    key: 'renewDeadlineMs',
    flag: 'leader-elect-renew-deadline',
    env: 'IMAGEURL_LEADER_ELECT_RENEW_DEADLINE',
    kind: 'duration',
    default: '10s',
    description: 'the leader steps down if it cannot renew for this long',
  },
  {
    key: 'retryPeriodMs',
    flag: 'leader-elect-retry-period',
    env: 'IMAGEURL_LEADER_ELECT_RETRY_PERIOD',
    kind: 'duration',
    default: '2s',
    description: 'pause between election attempts',
  },
  {
    key: 'readyRequiresLeadership',
    flag: 'ready-requires-leadership',
    env: 'IMAGEURL_READY_REQUIRES_LEADERSHIP',
    kind: 'boolean',
    // Off, as controller-runtime does: a standby with synced caches is ready, so a rolling
    // update's new pod becomes ready while the old one still holds the Lease, and every replica
    // serves the webhook. On, a rolling update never finishes (the new pod waits for a Lease the
    // old pod gives up only after it was replaced).
    default: 'false',
    description: '/readyz also fails while this replica does not lead (stalls rolling updates)',
  },
  {
    key: 'concurrency',
    flag: 'concurrency',
    caphDefault: '1 (per kind: --hcloudmachine-concurrency and the like)',
    env: 'IMAGEURL_CONCURRENCY',
    kind: 'count',
    default: '4',
    description: 'concurrent reconciles per controller',
  },
  {
    key: 'metricsBindAddress',
    flag: 'metrics-bind-address',
    caphDefault: 'localhost:8080',
    env: 'IMAGEURL_METRICS_BIND_ADDRESS',
    kind: 'address',
    // Loopback unless asked otherwise: metrics name every machine and cluster (CAPH: localhost:8080).
    default: '127.0.0.1:8080',
    description: 'where /metrics listens (:8080 = every interface, 0 = off)',
  },
  {
    key: 'healthProbeBindAddress',
    flag: 'health-probe-bind-address',
    caphDefault: ':9440',
    env: 'IMAGEURL_HEALTH_PROBE_BIND_ADDRESS',
    kind: 'address',
    // A pod's probes need the pod's address: its Deployment asks for `:8081` explicitly.
    default: '127.0.0.1:8081',
    description: 'where /healthz and /readyz listen (:8081 = every interface, 0 = off)',
  },
  {
    key: 'logLevel',
    flag: 'log-level',
    env: 'IMAGEURL_LOG_LEVEL',
    kind: 'level',
    default: 'info',
    description: 'trace, debug, info, warn, error or silent',
  },
  {
    key: 'syncPeriodMs',
    flag: 'sync-period',
    caphDefault: '3m',
    env: 'IMAGEURL_SYNC_PERIOD',
    kind: 'duration',
    default: '10m',
    description: 'reconcile every object at least this often',
  },
  {
    key: 'watchTimeoutMs',
    flag: 'watch-timeout',
    env: 'IMAGEURL_WATCH_TIMEOUT',
    kind: 'duration',
    default: '5m',
    description: 'server-side length of each watch',
  },
  {
    key: 'requestTimeoutMs',
    flag: 'request-timeout',
    env: 'IMAGEURL_REQUEST_TIMEOUT',
    kind: 'duration',
    default: '30s',
    description: 'deadline of each apiserver request',
  },
  {
    key: 'cacheSyncTimeoutMs',
    flag: 'cache-sync-timeout',
    env: 'IMAGEURL_CACHE_SYNC_TIMEOUT',
    kind: 'duration',
    // controller-runtime's CacheSyncTimeout: a controller that cannot list its kinds (CRD missing,
    // API version not served, no access) exits so that the pod's restarts and events show it.
    default: '2m',
    description: 'exit non-zero when the apiserver has not listed every kind after this long',
  },
];
