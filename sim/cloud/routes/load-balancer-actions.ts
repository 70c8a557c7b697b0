import type { ActionRecord } from '../action-book.js';
import { CloudErrorResponse } from '../cloud-error-response.js';
import { jsonBody, optionalString, type JsonObject } from '../cloud-input.js';
import type { CloudContext } from '../cloud-route.js';
import type { LoadBalancerRecord } from '../load-balancer-record.js';
import { assertPortFree, serviceInput } from '../load-balancer-services.js';
import { assertTargetAllowed, sameTarget, targetInput } from '../load-balancer-targets.js';
import { assertUnlocked, startConfigAction } from '../resource-actions.js';
import { resourceActionRoutes, type ResourceAction } from './resource-action-routes.js';
import { algorithmOf, attachLoadBalancer, findLoadBalancerType } from '../load-balancer-input.js';
import { networkIn } from './server-network-actions.js';

function listenPortOf(body: JsonObject): number {
  const port = body.listen_port;
  if (typeof port !== 'number' || !Number.isInteger(port))
    throw CloudErrorResponse.invalidField('listen_port', 'is required');
  return port;
}

function serviceIndex(balancer: LoadBalancerRecord, body: JsonObject): number {
  const port = listenPortOf(body);
  const index = balancer.services.findIndex((s) => s.listen_port === port);
  if (index < 0) throw CloudErrorResponse.invalidField('listen_port', `no service listens on port ${port}`);
  return index;
}

/**
 * Checks the lock, applies the change at once, and reports it as a running action; a change
 * that returns a network ID names that network among the action's resources.
 */
function change(
  command: string,
  apply: (context: CloudContext, balancer: LoadBalancerRecord, body: JsonObject) => unknown,
): ResourceAction<LoadBalancerRecord> {
  return (context, balancer): ActionRecord => {
    assertUnlocked(context.project, { type: 'load_balancer', id: balancer.id });
    const body = jsonBody(context.body);
    const network = apply(context, balancer, body);
    const resources = [{ id: balancer.id, type: 'load_balancer' }];
    if (typeof network === 'number') resources.push({ id: network, type: 'network' });
    return startConfigAction(context.project, { command, resources });
  };
}

const loadBalancerActions: Readonly<Record<string, ResourceAction<LoadBalancerRecord>>> = {
  add_service: change('add_service', (_context, balancer, body) => {
    const service = serviceInput(body);
    assertPortFree(balancer.services, service.listen_port);
    if (balancer.services.length >= balancer.type.maxServices)
      throw new CloudErrorResponse(
        403,
        'resource_limit_exceeded',
        `load balancer type ${balancer.type.name} allows ${balancer.type.maxServices} services`,
      );
    balancer.services.push(service);
  }),
  update_service: change('update_service', (_context, balancer, body) => {
    const index = serviceIndex(balancer, body);
    balancer.services[index] = serviceInput(body, balancer.services[index]);
  }),
  delete_service: change('delete_service', (_context, balancer, body) => {
    balancer.services.splice(serviceIndex(balancer, body), 1);
  }),
  add_target: change('add_target', (context, balancer, body) => {
    const target = targetInput(context.project, body);
    assertTargetAllowed(context.project, balancer, target);
    balancer.targets.push(target);
  }),
  remove_target: change('remove_target', (context, balancer, body) => {
    const target = targetInput(context.project, body);
    const index = balancer.targets.findIndex((t) => sameTarget(t, target));
    if (index < 0) throw CloudErrorResponse.invalidField('type', 'no such target on this load balancer');
    balancer.targets.splice(index, 1);
  }),
  attach_to_network: change('attach_to_network', (context, balancer, body) => {
    const network = networkIn(context.project, body);
    attachLoadBalancer(context.project, balancer, network, {
      ip: optionalString(body, 'ip'),
      ipRange: optionalString(body, 'ip_range'),
    });
    return network.id;
  }),
  /** Private targets lose their way in: they are removed with the network. */
  detach_from_network: change('detach_from_network', (context, balancer, body) => {
    const network = networkIn(context.project, body);
    if (!balancer.privateNets.some((net) => net.network === network.id))
      throw CloudErrorResponse.invalidField('network', 'the load balancer is not attached to this network');
    balancer.privateNets = [];
    balancer.targets = balancer.targets.filter((t) => t.type === 'ip' || !t.usePrivateIp);
    return network.id;
  }),
  change_algorithm: change('change_algorithm', (_context, balancer, body) => {
    balancer.algorithm = algorithmOf(body);
  }),
  /** A smaller type must still hold the services and targets. */
  change_type: change('change_type', (_context, balancer, body) => {
    const type = findLoadBalancerType(body);
    if (balancer.services.length > type.maxServices || balancer.targets.length > type.maxTargets)
      throw CloudErrorResponse.invalidField(
        'load_balancer_type',
        `${type.name} cannot hold the current services and targets`,
      );
    balancer.type = type;
  }),
  change_protection: change('change_protection', (_context, balancer, body) => {
    const value = body.delete;
    if (value !== undefined && typeof value !== 'boolean')
      throw CloudErrorResponse.invalidField('delete', 'must be a boolean');
    if (value !== undefined) balancer.protection.delete = value;
  }),
  enable_public_interface: change('enable_public_interface', (_context, balancer) => {
    balancer.publicInterface = true;
  }),
  /** Only a load balancer in a network may lose its public interface. */
  disable_public_interface: change('disable_public_interface', (_context, balancer) => {
    if (balancer.privateNets.length === 0)
      throw CloudErrorResponse.unprocessable(
        'load_balancer_not_attached_to_network',
        'the load balancer is not attached to a network',
      );
    balancer.publicInterface = false;
  }),
};

export const loadBalancerActionRoutes = resourceActionRoutes({
  path: '/load_balancers',
  type: 'load_balancer',
  records: (project) => project.loadBalancers,
  actions: loadBalancerActions,
});
