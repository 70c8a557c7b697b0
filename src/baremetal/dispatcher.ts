import type { Clock } from '../ports/clock.js';
import type { EventSink } from '../ports/event-sink.js';
import type { RescueSystem } from '../ports/rescue-system.js';
import type { RobotServers } from '../ports/robot-servers.js';
import type { CommandResolver } from '../ports/command-resolver.js';
import { runStep, summarize, type MachineOptions, type StepSummary } from '../state-machine/index.js';
import type { HostState } from './host-state.js';
import { hostMachine } from './host-machine.js';
import { isFatalErrorType, type HostInput, type HostStatus } from './host.js';
import { resolveBareMetalSettings, type BareMetalSettingsOverrides } from './settings.js';
import type { HostMachineTypes } from './step-context.js';

export interface HostProvisionerPorts {
  readonly robot: RobotServers;
  readonly rescue: RescueSystem;
  readonly commands: CommandResolver;
  readonly clock: Clock;
  readonly events: EventSink;
}

/** Settings overrides, and `onTransition`: told every provisioningState change once, with its duration. */
export type HostProvisionerOptions = MachineOptions<BareMetalSettingsOverrides, HostState>;

/** One step's status (all of it: the kube side maps it onto the host's spec.status), requeue, note, transition. */
export interface HostReconcileOutcome extends StepSummary<HostMachineTypes> {
  /**
   * The host has a fatal or permanent error: the consuming machine must be remediated (CAPH's
   * HasFatalError), which releases the host.
   */
  readonly remediate: boolean;
  /** Available with nothing of a claim left: a host being deleted may drop its finalizer now. */
  readonly released: boolean;
}

export interface HostProvisioner {
  /** One step of the host's state machine. Throws only on a bug or a port that broke its contract. */
  reconcile(input: HostInput, status: HostStatus): Promise<HostReconcileOutcome>;
}

/** The bare-metal host machine on the state-machine engine (src/state-machine), the single dispatcher. */
export function createHostProvisioner(
  ports: HostProvisionerPorts,
  options: HostProvisionerOptions = {},
): HostProvisioner {
  const settings = resolveBareMetalSettings(options.settings);
  return {
    async reconcile(input, stored): Promise<HostReconcileOutcome> {
      const now = ports.clock.now();
      const { robot, rescue, commands } = ports;
      const step = await runStep(hostMachine({ input, settings }), {
        name: input.name,
        stored,
        now,
        context: (status) => ({ input, status, now, robot, rescue, commands, settings }),
        timeoutsMs: settings.timeoutsMs,
        backoff: settings.backoff,
        events: ports.events,
        ...(options.onTransition ? { onTransition: options.onTransition } : {}),
      });
      const { status } = step;
      return {
        ...summarize(step),
        remediate: isFatalErrorType(status.errorType),
        released: status.provisioningState === '' && status.rescueHostKey === undefined,
      };
    },
  };
}
