import { Counter, Histogram, type Registry } from 'prom-client';
import { hostStateLabel, type HostTransition } from '../../baremetal/index.js';

/** Host states last from a second (preparing) to the command's 7 minutes and more. */
const STATE_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600, 1200];

/**
 * The HetznerBareMetalHost state machine in Prometheus: time spent in each provisioningState (by
 * the transition that ended it), and how provisionings end. Its own metric names, not a label
 * on the HCloudMachine's: the two machines have different states, and a dashboard of one must
 * not mix in the other.
 */
export class HostProvisioningMetrics {
  private readonly stateDuration: Histogram;
  private readonly outcomes: Counter;

  constructor(registry: Registry) {
    this.stateDuration = new Histogram({
      name: 'imageurl_host_state_duration_seconds',
      help: 'Time a HetznerBareMetalHost spent in old_state before it moved to new_state ("(none)": available).',
      labelNames: ['old_state', 'new_state'],
      buckets: STATE_BUCKETS,
      registers: [registry],
    });
    this.outcomes = new Counter({
      name: 'imageurl_host_provisioning_outcomes_total',
      help: 'HetznerBareMetalHosts that reached provisioned (succeeded), or were deprovisioned before (aborted).',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  /** Records one provisioningState change. */
  transitioned(transition: HostTransition): void {
    this.stateDuration.observe(
      { old_state: hostStateLabel(transition.from), new_state: hostStateLabel(transition.to) },
      Math.max(0, transition.durationMs) / 1000,
    );
    if (transition.to === 'provisioned') this.outcomes.inc({ outcome: 'succeeded' });
    else if (transition.to === 'deprovisioning' && transition.from !== 'provisioned') {
      this.outcomes.inc({ outcome: 'aborted' });
    }
  }
}
