import { runStep, summarize, type MachineOptions, type StepSummary } from '../state-machine/index.js';
import type { BootState } from './boot-state.js';
import { bootMachine } from './boot-machine.js';
import { deleteMachine, type DeletionOutcome } from './deletion.js';
import type { MachineInput, MachineStatus } from './machine.js';
import type { ProvisionerPorts } from './provisioner-ports.js';
import { resolveSettings, type ProvisioningSettings, type SettingsOverrides } from './settings.js';
import type { BootMachineTypes } from './step-context.js';
import { ownedCloud } from './owned-cloud.js';
import { VerifiedServers } from './server-ownership.js';
import { trackCloud } from './tracked-cloud.js';
import { WaitBook } from './wait-book.js';

export type { ProvisionerPorts } from './provisioner-ports.js';

/** Settings overrides, and `onTransition`: told every bootState change once, with its duration. */
export type ProvisionerOptions = MachineOptions<SettingsOverrides, BootState>;

/** One step's status (all of it: the kube side maps it onto HCloudMachine status), requeue, note, transition. */
export interface ReconcileOutcome extends StepSummary<BootMachineTypes> {
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
 * The hcloud boot machine on the engine's single dispatcher (runStep in
 * src/state-machine/dispatcher.ts): it looks the state up in the table, runs the gates and the
 * timeout check, calls the handler, checks the transition against the table, writes
 * bootState/bootStateSince (nothing else does), reports the transition and emits the events.
 */
export function createProvisioner(ports: ProvisionerPorts, options: ProvisionerOptions = {}): Provisioner {
  const settings = resolveSettings(options.settings);
  const verified = ports.verifiedServers ?? new VerifiedServers();
  const waits = ports.waits ?? new WaitBook();
  const env = { ports, settings, options, verified, waits };
  return {
    reconcile: (input, status) => reconcile(env, input, status),
    delete: (input, status) => deleteMachine(env, input, status),
  };
}

interface Env {
  readonly ports: ProvisionerPorts;
  readonly settings: ProvisioningSettings;
  readonly options: ProvisionerOptions;
  readonly verified: VerifiedServers;
  readonly waits: WaitBook;
}

async function reconcile(env: Env, input: MachineInput, stored: MachineStatus): Promise<ReconcileOutcome> {
  const now = env.ports.clock.now();
  // Every call naming a server goes through the ownership gate (owned-cloud.ts).
  const cloud = trackCloud(ownedCloud(env.ports.cloud, input, env.verified));
  const { ports, settings, options } = env;
  const step = await runStep(bootMachine({ input, settings, cloud }), {
    name: input.name,
    stored,
    now,
    context: (status) => ({
      input,
      status,
      now,
      cloud: cloud.port,
      rescue: ports.rescue,
      commands: ports.commands,
      settings,
      waits: env.waits,
      ...(ports.banners ? { banners: ports.banners } : {}),
      ...(ports.hostKeys ? { hostKeys: ports.hostKeys } : {}),
      ...(ports.wake ? { wake: ports.wake } : {}),
    }),
    timeoutsMs: settings.timeoutsMs,
    backoff: settings.backoff,
    events: ports.events,
    ...(options.onTransition ? { onTransition: options.onTransition } : {}),
  });
  return { ...summarize(step), remediate: step.status.bootState === 'ProvisioningFailed' };
}
