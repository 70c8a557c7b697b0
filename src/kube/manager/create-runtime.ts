import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DestinationStream } from 'pino';
import { Registry } from 'prom-client';
import { KubeClient } from '../client/kube-client.js';
import { KubeTransport } from '../client/transport.js';
import { loadKubeConfig, type LoadedKubeConfig } from '../config/kube-config.js';
import type { RuntimeOptions } from '../config/runtime-options.js';
import { watchFilterSelector } from '../config/watch-filter.js';
import { EventRecorder } from '../events/recorder.js';
import { createLogger, type Logger } from '../ops/logger.js';
import { RuntimeMetrics } from '../ops/metrics.js';
import { Manager, type ManagerOptions } from './manager.js';

export interface RuntimeDependencies {
  readonly env: NodeJS.ProcessEnv;
  /** The caller's secret redactor, for event notes and log messages. */
  readonly redact?: (text: string) => string;
  /** Names the controller in events (reportingController) and logs. Default imageurl-controller. */
  readonly component?: string;
  /** Log destination (default stdout). */
  readonly logDestination?: DestinationStream;
  /** Service account folder (tests). */
  readonly serviceAccountDir?: string;
}

/** The wired runtime: what main hands to the reconcilers it registers. */
export interface Runtime {
  readonly kubeConfig: LoadedKubeConfig;
  readonly transport: KubeTransport;
  readonly client: KubeClient;
  readonly log: Logger;
  readonly metrics: RuntimeMetrics;
  readonly events: EventRecorder;
  readonly manager: Manager;
  /** This process in the leader election and in events' reportingInstance. */
  readonly identity: string;
}

/** Builds every runtime part from options; no module-level state, so tests build several. */
export function createRuntime(options: RuntimeOptions, deps: RuntimeDependencies): Runtime {
  const component = deps.component ?? 'imageurl-controller';
  const log = createLogger({
    level: options.logLevel,
    component,
    ...(deps.logDestination ? { destination: deps.logDestination } : {}),
    ...(deps.redact ? { redact: deps.redact } : {}),
  });
  const kubeConfig = loadKubeConfig({
    kubeconfig: options.kubeconfig,
    env: deps.env,
    ...(deps.serviceAccountDir ? { serviceAccountDir: deps.serviceAccountDir } : {}),
  });
  const transport = new KubeTransport(kubeConfig.config, {
    requestTimeoutMs: options.requestTimeoutMs,
    userAgent: component,
  });
  const client = new KubeClient(transport, component);
  const metrics = new RuntimeMetrics(new Registry());
  const identity = `${deps.env.POD_NAME ?? hostname()}_${randomUUID()}`;
  const events = new EventRecorder({
    client,
    source: { controller: component, instance: identity },
    ...(deps.redact ? { redact: deps.redact } : {}),
    log,
    metrics,
  });
  const watchTimeoutSeconds = Math.max(1, Math.round(options.watchTimeoutMs / 1000));
  const labelSelectorOf = watchFilterSelector(options.watchFilter);
  const manager = new Manager({
    client,
    log,
    metrics,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(labelSelectorOf ? { labelSelectorOf } : {}),
    watchTimeoutSeconds,
    syncPeriodMs: options.syncPeriodMs,
    cacheSyncTimeoutMs: options.cacheSyncTimeoutMs,
    healthProbeBindAddress: options.healthProbeBindAddress,
    metricsBindAddress: options.metricsBindAddress,
    events,
    ...(options.leaderElect ? { leaderElection: election(options, kubeConfig.namespace, identity) } : {}),
    readyRequiresLeadership: options.readyRequiresLeadership,
  });
  return { kubeConfig, transport, client, log, metrics, events, manager, identity };
}

function election(
  options: RuntimeOptions,
  podNamespace: string | undefined,
  identity: string,
): NonNullable<ManagerOptions['leaderElection']> {
  return {
    namespace: options.leaderElectionNamespace ?? podNamespace ?? 'default',
    name: options.leaderElectionId,
    identity,
    leaseDurationMs: options.leaseDurationMs,
    renewDeadlineMs: options.renewDeadlineMs,
    retryPeriodMs: options.retryPeriodMs,
  };
}
