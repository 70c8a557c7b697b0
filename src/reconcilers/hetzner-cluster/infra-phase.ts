import { isCloudError, type CloudError } from '../../ports/cloud-errors.js';
import type { Check } from './checks.js';
import { infraChecks } from './infra-checks.js';
import { ownerLabels } from './infra-naming.js';
import { StepFailure, type ClusterCloud, type StepInput, type StepOutcome } from './infra-types.js';
import { reconcileLoadBalancer } from './load-balancer-step.js';
import { reconcileNetwork } from './network-step.js';
import { reconcilePlacementGroups } from './placement-group-step.js';
import type { StepBackoff } from './step-backoff.js';

export interface InfraRun extends Omit<StepInput, 'owner' | 'cloud'> {
  readonly cloud: ClusterCloud;
  readonly controlPlaneServers: readonly number[];
  readonly backoff: StepBackoff;
  readonly now: number;
}

export interface InfraResult {
  readonly checks: readonly Check[];
  readonly requeueAfterMs?: number;
}

interface Step {
  readonly name: string;
  readonly run: (input: InfraRun & StepInput) => Promise<StepOutcome>;
  readonly failed: (message: string, severity: Check['severity'], failure?: StepFailure) => Check;
}

/** CAPH's order: the network first (the load balancer joins it), then placement groups, then the load balancer. */
const steps: readonly Step[] = [
  {
    name: 'network',
    run: reconcileNetwork,
    failed: (message, severity) => infraChecks.networkFailed(message, severity),
  },
  {
    name: 'placement-groups',
    run: reconcilePlacementGroups,
    failed: (message, severity) => infraChecks.placementGroupsFailed(message, severity),
  },
  {
    name: 'load-balancer',
    run: reconcileLoadBalancer,
    failed: (message, severity, failure) =>
      infraChecks.loadBalancerFailed(failure?.problem ?? 'update', message, severity),
  },
];

/**
 * The cluster's cloud resources, one step after the other; a failing step becomes its condition
 * (with what was done, the API's message and code) and waits (StepBackoff) before it calls the
 * API again, while the other steps go on.
 */
export async function reconcileInfrastructure(run: InfraRun): Promise<InfraResult> {
  const input = { ...run, owner: ownerLabels(run.object) };
  const checks: Check[] = [];
  const waits: number[] = [];
  for (const step of steps) {
    const done = await runStep(step, input);
    if (done.check) checks.push(done.check);
    if (done.waitMs !== undefined) waits.push(done.waitMs);
  }
  return { checks, ...(waits.length === 0 ? {} : { requeueAfterMs: Math.max(1, Math.min(...waits)) }) };
}

async function runStep(
  step: Step,
  input: InfraRun & StepInput,
): Promise<{ readonly check?: Check | undefined; readonly waitMs?: number | undefined }> {
  const { backoff, now, object } = input;
  const key = { uid: object.metadata.uid ?? '', step: step.name, generation: object.metadata.generation };
  const waiting = backoff.waiting(key, now);
  if (waiting) return { check: waiting.check, waitMs: waiting.waitMs };
  try {
    const outcome = await step.run(input);
    backoff.succeeded(key);
    return { check: outcome.check, waitMs: outcome.requeueAfterMs };
  } catch (error) {
    const failure = error instanceof StepFailure ? error : undefined;
    const cause = failure ? failure.cause : error;
    if (!isCloudError(cause)) throw error;
    const check = step.failed(
      messageOf(step.name, cause, failure),
      cause.retryable ? 'Warning' : 'Error',
      failure,
    );
    const waitMs = backoff.failed(key, {
      check,
      retryable: cause.retryable,
      now,
      atLeastMs: cause.retryAfterMs ?? 0,
    });
    return { check, waitMs };
  }
}

function messageOf(step: string, error: CloudError, failure: StepFailure | undefined): string {
  const doing = failure ? failure.doing : `reconcile the ${step.replace('-', ' ')}`;
  const when = error.retryable ? 'soon' : 'in a while, or at once when the spec changes';
  return `failed to ${doing}: ${error.message} (${error.apiCode}); tried again ${when}`;
}
