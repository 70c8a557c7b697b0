import type { HetznerClusterStatus } from '../../../api/v1beta1/hetzner-cluster.js';
import type { EventInput } from '../../kube/index.js';
import type { CloudLoadBalancers } from '../../ports/cloud-load-balancers.js';
import type { CloudNetworks } from '../../ports/cloud-networks.js';
import type { CloudPlacementGroups } from '../../ports/cloud-placement-groups.js';
import type { Check } from './checks.js';
import type { LoadBalancerProblem } from './infra-checks.js';
import type { HetznerClusterObject } from './types.js';

/** The cloud resources of a cluster, for one hcloud token. */
export interface ClusterCloud {
  readonly networks: CloudNetworks;
  readonly placementGroups: CloudPlacementGroups;
  readonly loadBalancers: CloudLoadBalancers;
}

/** What one infrastructure step works on. */
export interface StepInput {
  readonly object: HetznerClusterObject;
  /** The status draft the step writes its part of. */
  readonly status: Partial<HetznerClusterStatus>;
  readonly cloud: ClusterCloud;
  readonly owner: Readonly<Record<string, string>>;
  event(input: EventInput): void;
}

/** A step's finding (none when the spec turns it off) and when to come back. */
export interface StepOutcome {
  readonly check?: Check;
  readonly requeueAfterMs?: number;
}

/** A failed API call of a step, with what was being done (for the condition's message). */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';

  constructor(
    readonly problem: LoadBalancerProblem,
    readonly doing: string,
    override readonly cause: unknown,
  ) {
    super(`failed to ${doing}`, { cause });
  }
}
