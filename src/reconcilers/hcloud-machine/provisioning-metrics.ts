import { Counter, Histogram, type Registry } from 'prom-client';
import { bootStateLabel, conditionReasons, type BootTransition } from '../../provisioning/index.js';

/** Boot states last from milliseconds (a finished action) to the command's 7 minutes and more. */
const STATE_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1200];

/** The reason of a successful provisioning (ServerProvisioned/Provisioned). */
const SUCCEEDED_REASON = 'Provisioned' satisfies keyof (typeof conditionReasons)['ServerProvisioned'];

/** Every reason of the condition vocabulary: the only values the `reason` label takes. */
const knownReasons: ReadonlySet<string> = new Set(
  Object.values(conditionReasons).flatMap((reasons) => Object.keys(reasons)),
);

/**
 * The HCloudMachine boot state machine in Prometheus: time spent in each state (by the
 * transition that ended it) and how provisionings end, by reason. Registered in the runtime's
 * registry; fed from the dispatcher's transitions.
 */
export class ProvisioningMetrics {
  private readonly stateDuration: Histogram;
  private readonly outcomes: Counter;

  constructor(registry: Registry) {
    this.stateDuration = new Histogram({
      name: 'imageurl_boot_state_duration_seconds',
      help: 'Time an HCloudMachine spent in old_state before it moved to new_state.',
      labelNames: ['old_state', 'new_state'],
      buckets: STATE_BUCKETS,
      registers: [registry],
    });
    this.outcomes = new Counter({
      name: 'imageurl_provisioning_outcomes_total',
      help: 'HCloudMachines that reached OperatingSystemRunning (succeeded) or ProvisioningFailed (failed), by reason.',
      labelNames: ['outcome', 'reason'],
      registers: [registry],
    });
  }

  /** Records one bootState change. */
  transitioned(transition: BootTransition): void {
    this.stateDuration.observe(
      { old_state: bootStateLabel(transition.from), new_state: bootStateLabel(transition.to) },
      Math.max(0, transition.durationMs) / 1000,
    );
    if (transition.to === 'OperatingSystemRunning') {
      this.outcomes.inc({ outcome: 'succeeded', reason: SUCCEEDED_REASON });
    } else if (transition.to === 'ProvisioningFailed') {
      const reason = transition.reason ?? 'Unknown';
      this.outcomes.inc({ outcome: 'failed', reason: knownReasons.has(reason) ? reason : 'Unknown' });
    }
  }
}
