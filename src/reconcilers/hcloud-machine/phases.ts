import type { KnownSecrets } from '../../util/known-secrets.js';
import {
  keyOf,
  type KubeClient,
  type ObjectKey,
  type Phase,
  type PhaseResult,
  type Scope,
} from '../../kube/index.js';
import type { Clock } from '../../ports/clock.js';
import type { CloudServers } from '../../ports/cloud-servers.js';
import type { CloudLoadBalancers } from '../../ports/cloud-load-balancers.js';
import { leaveLoadBalancer } from './load-balancer-target.js';
import type { CommandResolver } from '../../ports/command-resolver.js';
import type { RescueSystem } from '../../ports/rescue-system.js';
import type { SshBanners } from '../../ports/ssh-banners.js';
import type { SshHostKeys } from '../../ports/ssh-host-keys.js';
import {
  createProvisioner,
  type BootTransition,
  type Provisioner,
  type SettingsOverrides,
  type VerifiedServers,
  type WaitBook,
} from '../../provisioning/index.js';
import { gatherInput, type GatheredInput } from './machine-input.js';
import { requestRemediation } from '../shared/remediation.js';
import { persist, toPhaseResult } from './persist.js';
import { fetchOwners } from '../shared/owners.js';
import { provisioningEvents } from '../shared/provisioning-events.js';
import { RetryGate } from '../shared/retry-gate.js';
import { readStatus } from './status-mapping.js';
import type { HCloudMachineObject, MachineObject, Owners } from './types.js';

/** What the HCloudMachine reconciler is built from (all injected by the composition root). */
export interface HCloudMachineDeps {
  readonly client: KubeClient;
  /** The CloudServers port for one hcloud token (the caller caches one per token). */
  readonly cloudFor: (token: string) => CloudServers;
  /** The cluster's load balancers for one token (control-plane servers leave it before deletion). */
  readonly loadBalancersFor?: (token: string) => CloudLoadBalancers;
  /**
   * The (machine, server) pairs this process checked (one per process): each machine costs at
   * most one extra look at its server per process, none for a server the process created.
   */
  readonly verifiedServers: VerifiedServers;
  /** Planned looks and learned durations of this process (absent: the controller keeps its own). */
  readonly waits?: WaitBook;
  /** Whether a booting server's SSH answers yet, without a wait. */
  readonly banners?: SshBanners;
  /** Which host key a server's SSH shows, without a wait. */
  readonly hostKeys?: SshHostKeys;
  /** Queues a machine's key (the controller sets it): how the banner watch wakes a machine. */
  readonly wake?: (key: ObjectKey) => void;
  readonly rescue: RescueSystem;
  readonly commands: CommandResolver;
  readonly clock: Clock;
  /** OCI_REGISTRY_AUTH_TOKEN of the controller process. */
  readonly registryToken?: string;
  /**
   * The registry hosts (`host` or `host:port`) the token is for: a command whose imageURL names
   * another host gets no token. Absent: every command gets it, as with CAPH.
   */
  readonly registryTokenHosts?: readonly string[];
  /** Told every Secret value read, for the process's redactor. */
  readonly knownSecrets?: KnownSecrets;
  readonly settings?: SettingsOverrides;
  /** Told every bootState change once (the controller feeds its own metrics first). */
  readonly onTransition?: (transition: BootTransition) => void;
}

type MachineScope = Scope<HCloudMachineObject>;
const WAIT_MS = 5_000;

interface Prepared {
  readonly owners: Owners;
  readonly gathered: GatheredInput;
  readonly provisioner: Provisioner;
}

const wakeFor =
  (wake: (key: ObjectKey) => void, key: ObjectKey): (() => void) =>
  () =>
    wake(key);

function provisionerFor(deps: HCloudMachineDeps, scope: MachineScope, token: string): Provisioner {
  const ports = {
    cloud: deps.cloudFor(token),
    rescue: deps.rescue,
    commands: deps.commands,
    clock: deps.clock,
    events: provisioningEvents(scope),
    verifiedServers: deps.verifiedServers,
    ...(deps.waits ? { waits: deps.waits } : {}),
    ...(deps.banners ? { banners: deps.banners } : {}),
    ...(deps.hostKeys ? { hostKeys: deps.hostKeys } : {}),
    ...(deps.wake ? { wake: wakeFor(deps.wake, keyOf(scope.object)) } : {}),
  };
  return createProvisioner(ports, {
    ...(deps.settings ? { settings: deps.settings } : {}),
    onTransition: (transition) =>
      scope.context.log.info(
        { oldState: transition.from, newState: transition.to, durationInState: transition.durationMs / 1000 },
        'Boot state changed',
      ),
  });
}

/** CAPH's preamble and the inputs; a string says what is being waited for. */
async function prepare(deps: HCloudMachineDeps, scope: MachineScope): Promise<Prepared | string> {
  const signal = scope.context.signal;
  const found = await fetchOwners<MachineObject>(deps.client, scope.object, signal);
  if (found.kind === 'waiting') return found.message;
  const namespace = scope.object.metadata.namespace ?? '';
  const reader = { client: deps.client, namespace, signal, known: deps.knownSecrets };
  const controllerRegistry = { token: deps.registryToken, hosts: deps.registryTokenHosts };
  const gathered = await gatherInput(reader, scope.object, found.owners, controllerRegistry);
  if (gathered.token === undefined) return 'the HetznerCluster’s hcloud token Secret is missing or empty';
  return { owners: found.owners, gathered, provisioner: provisionerFor(deps, scope, gathered.token) };
}

/** The webhook admits exactly one of them; without either there is nothing to provision. */
function namesAnImage(object: HCloudMachineObject): boolean {
  return Boolean(object.spec.imageURL) || Boolean(object.spec.imageName);
}

/** The normal phase: one step of the boot state machine. */
export function provisionPhase(deps: HCloudMachineDeps): Phase<HCloudMachineObject> {
  const gate = new RetryGate();
  return async (scope): Promise<PhaseResult | undefined> => {
    if (!namesAnImage(scope.object)) {
      scope.context.log.info('Neither imageURL nor imageName: nothing to provision');
      return undefined;
    }
    const waitMs = gate.waitMs(scope.object, deps.clock.now());
    if (waitMs !== undefined) return { requeueAfterMs: waitMs };
    const prepared = await prepare(deps, scope);
    // Deleting needs no registry credentials; provisioning never falls back to another token.
    const waitingFor = typeof prepared === 'string' ? prepared : prepared.gathered.registryProblem;
    if (typeof prepared === 'string' || waitingFor !== undefined) {
      scope.context.log.info({ waitingFor }, 'Waiting before provisioning');
      return { requeueAfterMs: WAIT_MS };
    }
    const outcome = await prepared.provisioner.reconcile(prepared.gathered.input, readStatus(scope.object));
    gate.record(scope.object, outcome.requeue, deps.clock.now());
    await persist(deps.client, scope, outcome.status);
    if (outcome.transition) deps.onTransition?.(outcome.transition);
    if (outcome.remediate)
      await requestRemediation(deps.client, prepared.owners.machine, scope.context.signal);
    if (outcome.message) scope.context.log.debug({ result: outcome.result }, outcome.message);
    return toPhaseResult(outcome.requeue);
  };
}

async function leaveClusterLoadBalancer(
  deps: HCloudMachineDeps,
  scope: MachineScope,
  prepared: Prepared,
  providerID: string | undefined,
): Promise<void> {
  const loadBalancers = deps.loadBalancersFor?.(prepared.gathered.token ?? '');
  if (!(await leaveLoadBalancer(loadBalancers, prepared.owners, providerID))) return;
  const note = `Removed server ${providerID ?? ''} from the cluster's load balancer`;
  scope.event({ type: 'Normal', reason: 'RemovedFromLoadBalancer', note });
}

/** The delete phase: the core's delete flow until done; then the runtime drops the finalizer. */
export function deletePhase(deps: HCloudMachineDeps): Phase<HCloudMachineObject> {
  const gate = new RetryGate();
  return async (scope): Promise<PhaseResult | undefined> => {
    const stored = readStatus(scope.object);
    if (stored.providerID === undefined && stored.serverRequested !== true) return undefined;
    const waitMs = gate.waitMs(scope.object, deps.clock.now());
    if (waitMs !== undefined) return { requeueAfterMs: waitMs };
    const prepared = await prepare(deps, scope);
    if (typeof prepared === 'string') {
      scope.context.log.info({ waitingFor: prepared }, 'Cannot delete the server yet');
      return { requeueAfterMs: WAIT_MS };
    }
    await leaveClusterLoadBalancer(deps, scope, prepared, stored.providerID);
    const outcome = await prepared.provisioner.delete(prepared.gathered.input, stored);
    gate.record(scope.object, outcome.requeue, deps.clock.now());
    await persist(deps.client, scope, outcome.status);
    if (outcome.done) return undefined;
    return toPhaseResult(outcome.requeue) ?? { requeue: true };
  };
}
