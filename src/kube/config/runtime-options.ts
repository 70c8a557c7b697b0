import { parseDuration } from './duration.js';
import { ConfigError } from './errors.js';
import { RUNTIME_FLAGS, type FlagKind, type FlagSpec } from './runtime-flags.js';

export { RUNTIME_FLAGS, type FlagSpec };

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
  /** Give up (exit non-zero) when the caches have not synced this long after start. */
  readonly cacheSyncTimeoutMs: number;
}

/** A Kubernetes label value (non-empty: an empty flag means no filter). */
const LABEL_VALUE = /^(?=.{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);
/** What Go's strconv.ParseBool takes (flag's `--x=false`), compared without case. */
const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  t: true,
  '1': true,
  false: false,
  f: false,
  '0': false,
};

function invalid(source: string, value: string, allowed: string): ConfigError {
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  const code = source.startsWith('--') ? 'CONFIG_INVALID_FLAG' : 'CONFIG_INVALID_ENV';
  return new ConfigError(code, `${source}: invalid value "${shown}"; allowed: ${allowed}`);
}

type Value = string | number | boolean;

/** Per kind: the parser (undefined = invalid) and what is allowed, for the error message. */
const CONVERTERS: Readonly<
  Record<FlagKind, { parse: (value: string) => Value | undefined; allowed: string }>
> = {
  boolean: { parse: (value) => BOOLEANS[value.toLowerCase()], allowed: 'true or false (also 1, 0, t, f)' },
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
