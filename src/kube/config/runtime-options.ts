import { parseDuration } from './duration.js';
import { ConfigError } from './errors.js';

/** Everything the controller runtime is configured with (from flags, environment, defaults). */
export interface RuntimeOptions {
  /** Path of a kubeconfig; absent = $KUBECONFIG, in-cluster, then ~/.kube/config. */
  readonly kubeconfig: string | undefined;
  /** Watch only this namespace; absent = every namespace. */
  readonly namespace: string | undefined;
  /** Reconcile only objects labelled cluster.x-k8s.io/watch-filter=<this>; absent = all. */
  readonly watchFilter: string | undefined;
  readonly leaderElect: boolean;
  /** Absent = the pod's namespace in-cluster, else `default`. */
  readonly leaderElectionNamespace: string | undefined;
  readonly leaderElectionId: string;
  readonly leaseDurationMs: number;
  readonly renewDeadlineMs: number;
  readonly retryPeriodMs: number;
  /** /readyz fails while not leading; false keeps standby replicas ready (rolling updates). */
  readonly readyRequiresLeadership: boolean;
  /** Concurrent reconciles per controller. */
  readonly concurrency: number;
  /** `host:port`, `:port`, or `0` to disable. */
  readonly metricsBindAddress: string;
  readonly healthProbeBindAddress: string;
  readonly logLevel: string;
  /** Re-enqueue every object this often. */
  readonly syncPeriodMs: number;
  /** Server-side length of each watch. */
  readonly watchTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

type Kind = 'string' | 'boolean' | 'count' | 'duration' | 'address' | 'level' | 'label-value';

interface FlagSpec {
  readonly key: keyof RuntimeOptions;
  readonly flag: string;
  readonly env: string;
  readonly kind: Kind;
  readonly default: string | undefined;
  readonly description: string;
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
    env: 'IMAGEURL_LEADER_ELECT',
    kind: 'boolean',
    default: 'false',
    description: 'elect a leader with a Lease so one replica reconciles',
  },
  {
    key: 'leaderElectionNamespace',
    flag: 'leader-election-namespace',
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
    env: 'IMAGEURL_CONCURRENCY',
    kind: 'count',
    default: '4',
    description: 'concurrent reconciles per controller',
  },
  {
    key: 'metricsBindAddress',
    flag: 'metrics-bind-address',
    env: 'IMAGEURL_METRICS_BIND_ADDRESS',
    kind: 'address',
    // Loopback unless asked otherwise: metrics name every machine and cluster (CAPH: localhost:8080).
    default: '127.0.0.1:8080',
    description: 'where /metrics listens (:8080 = every interface, 0 = off)',
  },
  {
    key: 'healthProbeBindAddress',
    flag: 'health-probe-bind-address',
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
];

/** A Kubernetes label value (non-empty: an empty flag means no filter). */
const LABEL_VALUE = /^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);
const BOOLEANS: Readonly<Record<string, boolean>> = { true: true, '1': true, false: false, '0': false };

function invalid(source: string, value: string, allowed: string): ConfigError {
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  const code = source.startsWith('--') ? 'CONFIG_INVALID_FLAG' : 'CONFIG_INVALID_ENV';
  return new ConfigError(code, `${source}: invalid value "${shown}"; allowed: ${allowed}`);
}

type Value = string | number | boolean;

/** Per kind: the parser (undefined = invalid) and what is allowed, for the error message. */
const CONVERTERS: Readonly<Record<Kind, { parse: (value: string) => Value | undefined; allowed: string }>> = {
  boolean: { parse: (value) => BOOLEANS[value.toLowerCase()], allowed: 'true or false' },
  count: {
    parse: (value) => {
      const count = Number(value);
      return Number.isInteger(count) && count >= 1 && count <= 1000 ? count : undefined;
    },
    allowed: 'an integer from 1 to 1000',
  },
  duration: {
    parse: (value) => {
      const ms = parseDuration(value);
      return ms !== undefined && ms > 0 ? ms : undefined;
    },
    allowed: 'a positive duration such as 500ms, 15s, 1m30s',
  },
  address: {
    parse: (value) =>
      value === '0' || /^(\[[0-9a-fA-F:.]+\]|[^:\s]*):\d{1,5}$/.test(value) ? value : undefined,
    allowed: 'host:port, :port, or 0 to disable',
  },
  level: { parse: (value) => (LEVELS.has(value) ? value : undefined), allowed: [...LEVELS].join(', ') },
  string: { parse: (value) => value, allowed: 'any text' },
  'label-value': {
    parse: (value) => (LABEL_VALUE.test(value) ? value : undefined),
    allowed: 'a label value: up to 63 letters, digits, -, _ or ., starting and ending with a letter or digit',
  },
};

function convert(spec: FlagSpec, source: string, value: string): Value {
  const converter = CONVERTERS[spec.kind];
  const converted = converter.parse(value);
  if (converted === undefined) throw invalid(source, value, converter.allowed);
  return converted;
}

function pick(
  spec: FlagSpec,
  flags: Readonly<Record<string, string | boolean | undefined>>,
  env: NodeJS.ProcessEnv,
): [string, string | undefined] {
  const flag = flags[spec.flag];
  if (flag !== undefined) return [`--${spec.flag}`, String(flag)];
  const fromEnv = env[spec.env];
  if (fromEnv !== undefined && fromEnv !== '') return [spec.env, fromEnv];
  return ['default', spec.default];
}

/**
 * Options from already-parsed flag values (flag name → string or boolean), then the
 * environment, then defaults — in that order of precedence. Errors name the flag or variable.
 */
export function resolveRuntimeOptions(
  flags: Readonly<Record<string, string | boolean | undefined>>,
  env: NodeJS.ProcessEnv,
): RuntimeOptions {
  const resolved: Record<string, string | number | boolean | undefined> = {};
  for (const spec of RUNTIME_FLAGS) {
    const [source, raw] = pick(spec, flags, env);
    resolved[spec.key] = raw === undefined ? undefined : convert(spec, source, raw);
  }
  const options = resolved as unknown as RuntimeOptions;
  if (options.renewDeadlineMs >= options.leaseDurationMs)
    throw new ConfigError(
      'CONFIG_INVALID_FLAG',
      '--leader-elect-renew-deadline must be shorter than --leader-elect-lease-duration',
    );
  if (options.retryPeriodMs >= options.renewDeadlineMs)
    throw new ConfigError(
      'CONFIG_INVALID_FLAG',
      '--leader-elect-retry-period must be shorter than --leader-elect-renew-deadline',
    );
  return options;
}
