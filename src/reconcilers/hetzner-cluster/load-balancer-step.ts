import type { LoadBalancerStatus, LoadBalancerTarget } from '../../../api/v1beta1/hetzner-cluster.js';
import type {
  CloudLoadBalancer,
  CloudLoadBalancers,
  CloudLoadBalancerTarget,
} from '../../ports/cloud-load-balancers.js';
import { isCloudError } from '../../ports/cloud-errors.js';
import { infraChecks, type LoadBalancerProblem } from './infra-checks.js';
import { labelSelector, loadBalancerName } from './infra-naming.js';
import { StepFailure, type StepInput, type StepOutcome } from './infra-types.js';
import {
  describeChange,
  desiredServices,
  propertyChanges,
  targetChanges,
  type LoadBalancerChange,
} from './load-balancer-drift.js';

/** After an action the load balancer is locked for a moment: one change per reconcile, then this. */
export const ACTION_WAIT_MS = 2_000;

export interface LoadBalancerStepInput extends StepInput {
  /** Server IDs of the cluster's control-plane machines that are not being deleted. */
  readonly controlPlaneServers: readonly number[];
}

/**
 * CAPH's load balancer service: find the cluster's by its labels, else own the one the spec
 * names, else create it (labels, services and network in the create call, so a failure halfway
 * leaves nothing unlabelled); then one change per reconcile: properties and services first, then
 * control-plane targets. `status.controlPlaneLoadBalancer` shows what the API says.
 */
export async function reconcileLoadBalancer(input: LoadBalancerStepInput): Promise<StepOutcome> {
  const spec = input.object.spec.controlPlaneLoadBalancer;
  if (spec?.enabled !== true) {
    delete input.status.controlPlaneLoadBalancer;
    return {};
  }
  const found = await findOrCreate(input);
  if (!('balancer' in found)) return found;
  const balancer = found.balancer;
  const services = desiredServices(input.object.spec, spec);
  input.status.controlPlaneLoadBalancer = statusOf(balancer, services[0]?.listenPort);
  const networkId = input.object.spec.hcloudNetwork?.enabled ? input.status.networkStatus?.id : undefined;
  const properties = propertyChanges(spec, services, balancer, networkId);
  const change = properties[0] ?? targetChanges(balancer, input.controlPlaneServers)[0];
  if (change === undefined) return { check: infraChecks.loadBalancerReady() };
  return applyOne(input, balancer, change);
}

/** One change; the load balancer serves meanwhile, a change that fails says so (UpdateFailed…). */
async function applyOne(
  input: StepInput,
  balancer: CloudLoadBalancer,
  change: LoadBalancerChange,
): Promise<StepOutcome> {
  try {
    await apply(input.cloud.loadBalancers, balancer.id, change);
  } catch (error) {
    if (isCloudError(error, 'locked') || alreadyDone(error, change))
      return { requeueAfterMs: ACTION_WAIT_MS };
    throw new StepFailure(problemOf(change), describeChange(change), error);
  }
  const note = `Load balancer ${balancer.name}: ${describeChange(change)}`;
  input.event({ type: 'Normal', reason: eventReason(change), note });
  return { check: infraChecks.loadBalancerReady(), requeueAfterMs: ACTION_WAIT_MS };
}

function problemOf(change: LoadBalancerChange): LoadBalancerProblem {
  if (change.kind === 'attachToNetwork') return 'network';
  return change.kind === 'addService' || change.kind === 'deleteService' ? 'services' : 'update';
}

async function findOrCreate(
  input: LoadBalancerStepInput,
): Promise<{ balancer: CloudLoadBalancer } | StepOutcome> {
  const selector = labelSelector(input.owner);
  const owned = await input.cloud.loadBalancers.listLoadBalancers({ labelSelector: selector });
  if (owned.length > 1) {
    const ids = owned.map((balancer) => balancer.id).join(', ');
    const message = `found ${owned.length} load balancers labelled ${selector} (IDs ${ids}); delete all but one`;
    return { check: infraChecks.loadBalancerFailed('own', message, 'Error') };
  }
  if (owned[0]) return { balancer: owned[0] };
  const name = input.object.spec.controlPlaneLoadBalancer?.name;
  return name ? ownNamed(input, name) : create(input);
}

/** CAPH's "own an existing load balancer": the user made it; it gets the labels, is never deleted. */
async function ownNamed(
  input: StepInput,
  name: string,
): Promise<{ balancer: CloudLoadBalancer } | StepOutcome> {
  const named = (await input.cloud.loadBalancers.listLoadBalancers({ name }))[0];
  if (named === undefined) {
    const message = `spec.controlPlaneLoadBalancer.name: no load balancer named ${JSON.stringify(name.slice(0, 63))} in the project`;
    return { check: infraChecks.loadBalancerFailed('own', message), requeueAfterMs: 60_000 };
  }
  const labels = { ...named.labels, ...input.owner };
  const balancer = await input.cloud.loadBalancers
    .setLabels({ loadBalancerId: named.id, labels })
    .catch((error: unknown) => {
      throw new StepFailure('own', `label load balancer ${named.name} as the cluster's`, error);
    });
  input.event({
    type: 'Normal',
    reason: 'LoadBalancerOwned',
    note: `Took over load balancer ${named.name} (ID ${named.id})`,
  });
  return { balancer };
}

/** Labels, services and network in the create call: a failure halfway leaves nothing unlabelled. */
async function create(input: StepInput): Promise<{ balancer: CloudLoadBalancer }> {
  const { object } = input;
  const spec = object.spec.controlPlaneLoadBalancer ?? assertEnabled();
  const networkId = object.spec.hcloudNetwork?.enabled ? input.status.networkStatus?.id : undefined;
  const name = loadBalancerName(object);
  const balancer = await input.cloud.loadBalancers
    .createLoadBalancer({
      name,
      type: spec.type,
      algorithm: spec.algorithm,
      location: spec.region ?? object.spec.controlPlaneRegions[0] ?? '',
      labels: input.owner,
      services: desiredServices(object.spec, spec),
      ...(networkId === undefined ? {} : { networkId }),
    })
    .catch((error: unknown) => {
      throw new StepFailure('create', `create load balancer ${name} (type ${spec.type})`, error);
    });
  input.event({
    type: 'Normal',
    reason: 'CreateLoadBalancer',
    note: `Created load balancer ${balancer.name} (ID ${balancer.id})`,
  });
  return { balancer };
}

function assertEnabled(): never {
  throw new Error('the load balancer step runs only when spec.controlPlaneLoadBalancer is enabled');
}

function statusOf(balancer: CloudLoadBalancer, kubeApiPort: number | undefined): LoadBalancerStatus {
  const internalIP = balancer.privateNets[0]?.ip;
  const kubeApi = balancer.services.find((service) => service.listenPort === kubeApiPort);
  return {
    id: balancer.id,
    ...(balancer.publicIPv4 ? { ipv4: balancer.publicIPv4 } : {}),
    ...(balancer.publicIPv6 ? { ipv6: balancer.publicIPv6 } : {}),
    ...(internalIP ? { internalIP } : {}),
    targets: balancer.targets.flatMap(targetStatusOf),
    protected: balancer.protected,
    proxyProtocolEnabled: kubeApi?.proxyProtocol ?? false,
  };
}

function targetStatusOf(target: CloudLoadBalancerTarget): LoadBalancerTarget[] {
  if (target.type === 'server') return [{ type: 'server', serverID: target.serverId }];
  return target.type === 'ip' ? [{ type: 'ip', ip: target.ip }] : [];
}

/** A target added or removed by someone else meanwhile (the machine itself, on deletion). */
function alreadyDone(error: unknown, change: LoadBalancerChange): boolean {
  if (change.kind === 'addTarget') return isCloudError(error) && error.apiCode === 'target_already_defined';
  return change.kind === 'removeTarget' && isCloudError(error, 'invalid_input');
}

function eventReason(change: LoadBalancerChange): string {
  if (change.kind === 'addTarget') return 'AddedAsTargetToLoadBalancer';
  if (change.kind === 'removeTarget') return 'RemovedTargetFromLoadBalancer';
  return 'UpdatedLoadBalancer';
}

async function apply(
  cloud: CloudLoadBalancers,
  loadBalancerId: number,
  change: LoadBalancerChange,
): Promise<void> {
  const ref = { loadBalancerId };
  switch (change.kind) {
    case 'changeType':
      return cloud.changeType({ ...ref, type: change.type });
    case 'changeAlgorithm':
      return cloud.changeAlgorithm({ ...ref, algorithm: change.algorithm });
    case 'attachToNetwork':
      return cloud.attachToNetwork({ ...ref, networkId: change.networkId });
    case 'deleteService':
      return cloud.deleteService({ ...ref, listenPort: change.listenPort });
    case 'addService':
      return cloud.addService({ ...ref, service: change.service });
    case 'addTarget':
      return cloud.addServerTarget({ ...ref, serverId: change.serverId, usePrivateIp: change.usePrivateIp });
    case 'removeTarget':
      return cloud.removeServerTarget({ ...ref, serverId: change.serverId });
  }
}
