import {
  createHostProvisioner,
  type HostProvisioner,
  type HostReconcileOutcome,
} from '../../baremetal/index.js';
import type { Phase, PhaseResult, Scope } from '../../kube/index.js';
import type { Requeue } from '../../state-machine/index.js';
import { provisioningEvents } from '../shared/provisioning-events.js';
import { RetryGate } from '../shared/retry-gate.js';
import { SecretReads, type SecretLookup } from '../shared/secret-reads.js';
import type { KnownSecrets } from '../../util/known-secrets.js';
import { gatherHostInput, type HostCaches } from './host-input.js';
import { earlierHostOfServer } from './server-claim.js';
import { persistHostStatus } from './persist.js';
import { readHostStatus } from './status-mapping.js';
import type { BareMetalHostDeps, BareMetalHostObject } from './types.js';
import { unavailableRobot } from './unavailable-robot.js';
import type { RobotCredentials } from './cluster-inputs.js';

type HostScope = Scope<BareMetalHostObject>;

/**
 * How long a claimed host whose inputs are incomplete waits. A watched change comes sooner, but
 * Secrets are not watched: a missing or incomplete Secret is read again after this (docs/security.md).
 */
export const WAIT_MS = 30_000;

export interface HostPhaseContext {
  readonly deps: BareMetalHostDeps;
  readonly caches: Omit<HostCaches, 'secrets'>;
  /** Secrets are read by name in each reconcile, never cached. */
  readonly secrets: SecretLookup;
  /** Told every Secret value read, for the process's redactor. */
  readonly known: KnownSecrets;
  /** One gate for both phases: a host's backoff holds whether it is being deleted or not. */
  readonly gate: RetryGate;
}

function provisionerFor(
  deps: BareMetalHostDeps,
  scope: HostScope,
  robot: RobotCredentials | string,
): HostProvisioner {
  const ports = {
    robot: typeof robot === 'string' ? unavailableRobot(robot) : deps.robotFor(robot.user, robot.password),
    rescue: deps.rescue,
    commands: deps.commands,
    clock: deps.clock,
    events: provisioningEvents(scope),
  };
  return createHostProvisioner(ports, {
    ...(deps.settings ? { settings: deps.settings } : {}),
    onTransition: (transition) =>
      scope.context.log.info(
        {
          oldState: transition.from,
          newState: transition.to,
          durationInState: transition.durationMs / 1000,
        },
        'Provisioning state changed',
      ),
  });
}

function toPhaseResult(requeue: Requeue): PhaseResult | undefined {
  if (requeue.kind === 'none') return undefined;
  return { requeueAfterMs: Math.max(1, requeue.ms) };
}

/** A step ran (the core's outcome), or the host waits without one. */
type Stepped = { readonly outcome: HostReconcileOutcome } | { readonly wait: PhaseResult };

/** One step of the host's state machine: gather, call the core once, persist, report. */
async function step(ctx: HostPhaseContext, scope: HostScope): Promise<Stepped> {
  const { deps } = ctx;
  const waitMs = ctx.gate.waitMs(scope.object, deps.clock.now());
  if (waitMs !== undefined) return { wait: { requeueAfterMs: waitMs } };
  const controllerRegistry = { token: deps.registryToken, hosts: deps.registryTokenHosts };
  const reads = new SecretReads(ctx.secrets, ctx.known);
  const caches: HostCaches = { ...ctx.caches, secrets: reads };
  const gathered = await reads.gather(
    () => gatherHostInput(scope.object, caches, controllerRegistry),
    scope.context.signal,
  );
  if (gathered.kind === 'waiting') {
    scope.context.log.info({ waitingFor: gathered.message }, 'Waiting before provisioning the host');
    return { wait: { requeueAfterMs: WAIT_MS } };
  }
  const provisioner = provisionerFor(deps, scope, gathered.robot);
  const outcome = await provisioner.reconcile(gathered.input, readHostStatus(scope.object));
  ctx.gate.record(scope.object, outcome.requeue, deps.clock.now());
  await persistHostStatus(deps.client, scope, outcome.status);
  if (outcome.transition) deps.onTransition?.(outcome.transition);
  if (outcome.message) scope.context.log.debug({ result: outcome.result }, outcome.message);
  return { outcome };
}

/** The normal phase: one step of the host state machine. */
export function provisionPhase(ctx: HostPhaseContext): Phase<BareMetalHostObject> {
  return async (scope): Promise<PhaseResult | undefined> => {
    const stepped = await step(ctx, scope);
    return 'wait' in stepped ? stepped.wait : toPhaseResult(stepped.outcome.requeue);
  };
}

/** The delete phase: deprovision until the core says released; then the runtime drops the finalizer. */
export function deletePhase(ctx: HostPhaseContext): Phase<BareMetalHostObject> {
  return async (scope): Promise<PhaseResult | undefined> => {
    const owner = earlierHostOfServer(scope.object, ctx.caches.hosts);
    if (owner !== undefined) {
      // The server is another host's: deprovisioning it would wipe that host's machine.
      scope.event({
        type: 'Warning',
        reason: 'ServerLeftToOtherHost',
        note: `Robot server ${scope.object.spec.serverID} belongs to HetznerBareMetalHost ${owner}; deleted without touching it`,
        action: 'Deleting',
      });
      return undefined;
    }
    const stepped = await step(ctx, scope);
    if ('wait' in stepped) return stepped.wait;
    const { outcome } = stepped;
    if (outcome.released) return undefined;
    return toPhaseResult(outcome.requeue) ?? { requeue: true };
  };
}
