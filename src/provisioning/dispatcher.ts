import type { Clock } from '../ports/clock.js';
import type { CloudServers } from '../ports/cloud-servers.js';
import type { EventSink } from '../ports/event-sink.js';
import type { RescueSystem } from '../ports/rescue-system.js';
import type { BootState } from './boot-state.js';
import type { CommandResolver } from './command-resolver.js';
import { decide } from './decide.js';
import { deleteMachine, type DeletionOutcome } from './deletion.js';
import { ProvisioningError } from './errors.js';
import type { MachineInput, MachineStatus } from './machine.js';
import { recordStep, type BootTransition } from './outcome.js';
import { resolveSettings, type ProvisioningSettings, type SettingsOverrides } from './settings.js';
import { stateSpecOf } from './states.js';
import { toRequeue, type Requeue, type StepResult } from './step-result.js';
import { trackCloud } from './tracked-cloud.js';

export interface ProvisionerPorts {
  readonly cloud: CloudServers;
  readonly rescue: RescueSystem;
  readonly commands: CommandResolver;
  readonly clock: Clock;
  readonly events: EventSink;
}

export interface ProvisionerOptions {
  readonly settings?: SettingsOverrides;
  /**
   * Told every bootState change once, with the time spent in the old state (the kube side logs
   * `oldState`/`newState`/`durationInState` and feeds its histogram from it).
   */
  readonly onTransition?: (transition: BootTransition) => void;
}

export interface ReconcileOutcome {
  /** The status to persist (all of it: the kube side maps it onto HCloudMachine status). */
  readonly status: MachineStatus;
  readonly requeue: Requeue;
  readonly result: StepResult['kind'];
  /** A progress note for logs and the CLI. */
  readonly message?: string;
  readonly transition?: BootTransition;
  /**
   * True while bootState is ProvisioningFailed: the owner Machine must carry
   * `cluster.x-k8s.io/remediate-machine` (idempotent, so it is asked for on every call).
   */
  readonly remediate: boolean;
}

export interface Provisioner {
  /** One step of the boot state machine for one machine. Throws only on a bug or a port that broke its contract. */
  reconcile(input: MachineInput, status: MachineStatus): Promise<ReconcileOutcome>;
  /** One step of deleting the machine's server; `done` once nothing is left. */
  delete(input: MachineInput, status: MachineStatus): Promise<DeletionOutcome>;
}

/**
 * The single dispatcher: looks the state up in the table, runs the gates and the timeout check,
 * calls the handler, checks the transition against the table, writes bootState/bootStateSince
 * (nothing else does), reports the transition and emits the events.
 */
export function createProvisioner(ports: ProvisionerPorts, options: ProvisionerOptions = {}): Provisioner {
  const settings = resolveSettings(options.settings);
  return {
    reconcile: (input, status) => reconcile({ ports, settings, options }, input, status),
    delete: (input, status) => deleteMachine({ ports, settings }, input, status),
  };
}

interface Env {
  readonly ports: ProvisionerPorts;
  readonly settings: ProvisioningSettings;
  readonly options: ProvisionerOptions;
}

async function reconcile(env: Env, input: MachineInput, stored: MachineStatus): Promise<ReconcileOutcome> {
  const now = env.ports.clock.now();
  const cloud = trackCloud(env.ports.cloud);
  const { ports, settings } = env;
  const ctx = {
    input,
    status: stored,
    now,
    cloud: cloud.port,
    rescue: ports.rescue,
    commands: ports.commands,
    settings,
  };
  const decision = await decide(ctx, cloud);
  const result = allowedOrError(stored.bootState, decision.result);
  const since = decision.since === undefined ? {} : { since: decision.since };
  const recorded = recordStep({ input, stored, result, now, ...since }, settings);
  if (recorded.transition) env.options.onTransition?.(recorded.transition);
  for (const event of recorded.events) ports.events.emit(event);
  const requeue = toRequeue(result, {
    errorCount: recorded.status.consecutiveErrors ?? 0,
    backoff: settings.backoff,
    ...(decision.msUntilTimeout === undefined ? {} : { msUntilTimeout: decision.msUntilTimeout }),
  });
  return {
    status: recorded.status,
    requeue,
    result: result.kind,
    ...(result.message === undefined ? {} : { message: result.message }),
    ...(recorded.transition ? { transition: recorded.transition } : {}),
    remediate: recorded.status.bootState === 'ProvisioningFailed',
  };
}

/** A transition the table does not allow is a bug in a handler: reported as an error, never taken. */
function allowedOrError(state: BootState, result: StepResult): StepResult {
  const next: readonly BootState[] = stateSpecOf(state).next;
  const to =
    result.kind === 'advance' ? result.to : result.kind === 'failed' ? 'ProvisioningFailed' : undefined;
  if (to === undefined || next.includes(to)) return result;
  const message = `boot state ${JSON.stringify(state)} may not move to ${JSON.stringify(to)}`;
  return { kind: 'error', cause: new ProvisioningError('INVALID_TRANSITION', message) };
}
