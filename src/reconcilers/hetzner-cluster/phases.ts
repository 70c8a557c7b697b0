import { KnownSecrets } from '../../util/known-secrets.js';
import { createHash } from 'node:crypto';
import {
  type Informer,
  type KubeObject,
  type Phase,
  type PhaseResult,
  type Scope,
} from '../../kube/index.js';
import { hasFinalizer, removeFinalizer } from '../../kube/reconcile/finalizers.js';
import { checks, ConditionTypes, type Check } from './checks.js';
import { clusterNameOf, clusterOf, machinesOf, pausedByCluster, type LinkCaches } from './cluster-links.js';
import { newFailures, renderConditions } from './conditions.js';
import { checkCredentials, type Credentials } from './credentials.js';
import { endpointCheck, failureDomainsOf } from './endpoint.js';
import { SecretReads, type SecretLookup } from '../shared/secret-reads.js';
import { claimSecret, recordClaim, releaseUnusedSecrets } from './secret-claim.js';
import { labelForMove } from './secret-move-label.js';
import type { SshKeyChecker, SshKeyCheckResult } from './ssh-key-check.js';
import { deleteClusterInfrastructure, reconcileClusterInfrastructure } from './infra-reconcile.js';
import type { StepBackoff } from './step-backoff.js';
import {
  DEPRECATED_FINALIZER,
  hetznerClusters as hetznerClustersKind,
  type HetznerClusterDeps,
  type HetznerClusterObject,
} from './types.js';

/** What the phases read: the injected dependencies and the shared caches. */
export interface PhaseContext {
  readonly deps: HetznerClusterDeps;
  readonly caches: LinkCaches;
  /** Secrets are read by name in each reconcile, never listed or watched. */
  readonly secrets: SecretLookup;
  /**
   * Secrets are not watched, so while a credential check fails (a Secret missing, a key empty)
   * the cluster is reconciled again after this long to see whether it was fixed.
   */
  readonly secretRecheckMs: number;
  readonly hcloudMachines: Informer<KubeObject>;
  readonly bareMetalMachines: Informer<KubeObject>;
  readonly sshKeys: SshKeyChecker;
  readonly known: KnownSecrets;
  readonly backoff: StepBackoff;
}

type ClusterScope = Scope<HetznerClusterObject>;
const MACHINE_WAIT_MS = 10_000;
const ORDER: readonly string[] = Object.values(ConditionTypes);

/** One check per type (later ones win), in the Ready summary's priority order. */
function merge(...groups: (readonly Check[])[]): Check[] {
  const byType = new Map<string, Check>();
  for (const check of groups.flat()) byType.set(check.type, check);
  return [...byType.values()].sort((a, b) => ORDER.indexOf(a.type) - ORDER.indexOf(b.type));
}

async function checkSshKeys(
  context: PhaseContext,
  scope: ClusterScope,
  found: Credentials,
): Promise<SshKeyCheckResult> {
  if (found.token === undefined) {
    return { checks: [checks.sshKeysUnchecked('no Hetzner Cloud API token yet (see HCloudTokenAvailable)')] };
  }
  const ref = scope.object.spec.hetznerSecretRef;
  return context.sshKeys.check({
    object: scope.object,
    token: found.token,
    tokenSource: { secret: `${scope.object.metadata.namespace ?? ''}/${ref.name}`, key: ref.key.hcloudToken },
    tokenVersion: createHash('sha256').update(found.token).digest('hex'),
  });
}

/** Conditions, ready and failure domains into the status draft; events for what newly fails. */
function writeStatus(context: PhaseContext, scope: ClusterScope, all: readonly Check[]): void {
  const previous = scope.object.status;
  const rendered = renderConditions(all, previous, {
    now: context.deps.clock.now(),
    ...(scope.object.metadata.generation === undefined
      ? {}
      : { generation: scope.object.metadata.generation }),
  });
  scope.status.conditions = rendered.conditions;
  scope.status.v1beta2 = { ...scope.status.v1beta2, conditions: rendered.v1beta2 };
  scope.status.ready = rendered.ready;
  scope.status.failureDomains = failureDomainsOf(scope.object.spec);
  for (const failure of newFailures(all, previous?.conditions)) {
    scope.event({ type: 'Warning', reason: failure.reason ?? failure.type, note: failure.message ?? '' });
  }
  if (rendered.ready && previous?.ready !== true) {
    scope.context.log.info('HetznerCluster is ready');
    scope.event({ type: 'Normal', reason: 'InfrastructureReady', note: 'credentials and SSH keys verified' });
  }
}

/**
 * The SSH key check's retry, the infrastructure's next step, or sooner the Secret recheck while
 * a credential check fails.
 */
function requeueOf(
  context: PhaseContext,
  result: SshKeyCheckResult,
  found: Credentials,
  infraAfterMs: number | undefined,
): PhaseResult | undefined {
  if (result.retry) return { requeue: true };
  const waits = [
    result.requeueAfterMs,
    infraAfterMs,
    found.checks.some((check) => check.status !== 'True') ? context.secretRecheckMs : undefined,
  ].filter((ms): ms is number => ms !== undefined);
  return waits.length === 0 ? undefined : { requeueAfterMs: Math.max(1, Math.min(...waits)) };
}

/** Reads the referenced Secrets by name and checks them. */
async function readCredentials(
  context: PhaseContext,
  object: HetznerClusterObject,
  usesBareMetal: boolean,
  signal: AbortSignal | undefined,
): Promise<Credentials> {
  const namespace = object.metadata.namespace ?? '';
  const reads = new SecretReads(context.secrets, context.known);
  return reads.gather(
    () =>
      checkCredentials({
        object,
        secret: (name) => reads.secret(namespace, name),
        known: context.known,
        usesBareMetal,
      }),
    signal,
  );
}

/**
 * Claims the credentials Secret, labels the named Secrets for clusterctl move, releases one
 * claimed before and no longer named, records the claim.
 */
async function holdCredentials(
  context: PhaseContext,
  object: HetznerClusterObject,
  found: Credentials,
  signal?: AbortSignal,
): Promise<void> {
  const { client } = context.deps;
  if (found.tokenSecret) await claimSecret(client, found.tokenSecret, signal);
  for (const secret of found.secrets) await labelForMove(client, secret, signal);
  const release = {
    client,
    secrets: context.secrets,
    hetznerClusters: context.caches.hetznerClusters,
    object,
  };
  await releaseUnusedSecrets(signal ? { ...release, signal } : release);
  await recordClaim(client, object, found.tokenSecret?.metadata.name, signal);
}

async function dropDeprecatedFinalizer(context: PhaseContext, scope: ClusterScope): Promise<void> {
  if (!hasFinalizer(scope.object, DEPRECATED_FINALIZER)) return;
  const { client } = context.deps;
  const change = { client, kind: hetznerClustersKind, object: scope.object, finalizer: DEPRECATED_FINALIZER };
  await removeFinalizer({ ...change, signal: scope.context.signal });
}

/** The normal phase: credentials, SSH keys, endpoint → conditions and ready. */
export function reconcilePhase(context: PhaseContext): Phase<HetznerClusterObject> {
  return async (scope): Promise<PhaseResult | undefined> => {
    const { object } = scope;
    const paused = pausedByCluster(clusterOf(object, context.caches));
    if (paused) {
      scope.context.log.info({ pausedBy: paused }, 'Reconciliation is paused for this object');
      return { stop: true };
    }
    const namespace = object.metadata.namespace ?? '';
    const clusterName = clusterNameOf(object, context.caches);
    const usesBareMetal =
      clusterName !== undefined && machinesOf(context.bareMetalMachines, namespace, clusterName).length > 0;
    const signal = scope.context.signal;
    const found = await readCredentials(context, object, usesBareMetal, signal);
    await holdCredentials(context, object, found, signal);
    await dropDeprecatedFinalizer(context, scope);
    const sshKeys = await checkSshKeys(context, scope, found);
    const infra =
      found.token === undefined
        ? { checks: [], spec: object.spec }
        : await reconcileClusterInfrastructure(context, scope, found.token);
    writeStatus(
      context,
      scope,
      merge(found.checks, sshKeys.checks, infra.checks, [endpointCheck(infra.spec)]),
    );
    return requeueOf(context, sshKeys, found, 'requeueAfterMs' in infra ? infra.requeueAfterMs : undefined);
  };
}

/**
 * The delete phase (CAPH's order): wait until the cluster's machines are gone — they delete
 * their servers with this cluster's token — then delete the load balancer, network and placement
 * groups, then release the credentials Secret; the runtime then drops the finalizer.
 */
export function deletePhase(context: PhaseContext): Phase<HetznerClusterObject> {
  return async (scope): Promise<PhaseResult | undefined> => {
    const { object } = scope;
    const namespace = object.metadata.namespace ?? '';
    const clusterName = clusterNameOf(object, context.caches);
    const machines = clusterName
      ? [context.hcloudMachines, context.bareMetalMachines].flatMap((informer) =>
          machinesOf(informer, namespace, clusterName).map(
            (machine) => `${informer.kind.kind} ${machine.metadata.name ?? ''}`,
          ),
        )
      : [];
    if (machines.length > 0) {
      const note = `waiting for ${machines.join(', ')} to be deleted before the HetznerCluster (they delete their servers with its token)`;
      scope.event({ type: 'Normal', reason: 'WaitingForMachineDeletion', note });
      return { requeueAfterMs: MACHINE_WAIT_MS };
    }
    const { client } = context.deps;
    const signal = scope.context.signal;
    const { token } = await readCredentials(context, object, false, signal);
    await deleteClusterInfrastructure(context, scope, token);
    const release = { client, secrets: context.secrets, hetznerClusters: context.caches.hetznerClusters };
    const released = await releaseUnusedSecrets({ ...release, object, deleting: true, signal });
    if (released.length > 0) scope.context.log.info({ secrets: released }, 'Released Secrets');
    await dropDeprecatedFinalizer(context, scope);
    context.sshKeys.forget(object.metadata.uid);
    return undefined;
  };
}
