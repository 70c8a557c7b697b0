// The controller runtime's public surface: what main and the reconcilers import.
export { KubeApiError, isKubeError, type KubeErrorCode } from './client/errors.js';
export {
  apiVersionOf,
  clusterKind,
  collectionPath,
  describeObject,
  eventKind,
  infrastructureKind,
  leaseKind,
  machineKind,
  objectPath,
  secretKind,
  type KindRef,
} from './client/kinds.js';
export { KubeClient, type ListOptions, type WriteOptions } from './client/kube-client.js';
export { reviewSelf, selfSubjectReviewKind, type UserIdentity } from './client/self-subject-review.js';
export {
  keyOf,
  objectKey,
  splitKey,
  type KubeList,
  type KubeObject,
  type ObjectKey,
  type ObjectMeta,
} from './client/objects.js';
export { KubeTransport, type KubeRequest, type TransportOptions } from './client/transport.js';
export { formatDuration, parseDuration } from './config/duration.js';
export { ConfigError, type ConfigErrorCode } from './config/errors.js';
export { loadKubeConfig, type KubeConfigSource, type LoadedKubeConfig } from './config/kube-config.js';
export { resolveRuntimeOptions, RUNTIME_FLAGS, type RuntimeOptions } from './config/runtime-options.js';
export { WATCH_FILTER_LABEL, watchFilterSelector } from './config/watch-filter.js';
export { Controller, type ControllerOptions } from './controller/controller.js';
export {
  CLUSTER_NAME_LABEL,
  indexByClusterName,
  toClusterMembers,
  toIndexed,
  toInfrastructureRef,
  toOwned,
  toSelf,
} from './controller/mappers.js';
export {
  TerminalError,
  type ReconcileContext,
  type ReconcileRequest,
  type ReconcileResult,
  type Reconciler,
} from './controller/result.js';
export { watchSource, type KeyMapper, type WatchSource } from './controller/watch-source.js';
export { wakeSource, type WakeSource } from './controller/wake-source.js';
export { NOTE_LIMIT_BYTES, type EventInput, type EventType } from './events/event-body.js';
export { microTime } from './events/micro-time.js';
export { EventRecorder, type EventRecorderOptions } from './events/recorder.js';
export { Informer, type Change, type InformerOptions } from './informer/informer.js';
export { RateLimiter, type RateLimiterOptions } from './queue/rate-limiter.js';
export { WorkQueue, type WorkQueueOptions } from './queue/work-queue.js';
export { LeaderElector, type LeaderElectionOptions } from './leader/leader-elector.js';
export { createRuntime, type Runtime, type RuntimeDependencies } from './manager/create-runtime.js';
export { BindError, CacheSyncTimeoutError, LeaderElectionLostError } from './manager/errors.js';
export { Manager, type ManagedControllerOptions, type ManagerOptions } from './manager/manager.js';
export { terminationSignal } from './manager/termination.js';
export { createLogger, LOG_KEYS, silentLogger, type Logger } from './ops/logger.js';
export { RuntimeMetrics } from './ops/metrics.js';
export { ObjectReconciler, type ObjectReconcilerOptions } from './reconcile/object-reconciler.js';
export { type Phase, type PhaseResult, type Scope, type StatusObject } from './reconcile/phases.js';
export { PAUSED_ANNOTATION, type ClusterLike } from './reconcile/paused.js';
export { patchStatus, type StatusPatchOutcome } from './reconcile/status-patch.js';
