import { CloudErrorResponse } from './cloud-error-response.js';
import { idOrName, optionalString, type JsonObject } from './cloud-input.js';
import type { CloudProject } from './cloud-project.js';
import type { Algorithm, LoadBalancerRecord } from './load-balancer-record.js';
import { loadBalancerTypes, type LoadBalancerType } from './load-balancer-types.js';
import { allocateAddress, type AddressRequest } from './network-addresses.js';
import type { NetworkRecord } from './network-record.js';

export function findLoadBalancerType(body: JsonObject): LoadBalancerType {
  const wanted = idOrName(body, 'load_balancer_type');
  const type = loadBalancerTypes.find((t) => t.id === wanted || t.name === wanted);
  if (type === undefined)
    throw CloudErrorResponse.invalidField('load_balancer_type', 'load balancer type not found');
  return type;
}

export function algorithmOf(body: JsonObject, field = 'type'): Algorithm {
  const value = optionalString(body, field) ?? 'round_robin';
  if (value !== 'round_robin' && value !== 'least_connections')
    throw CloudErrorResponse.invalidField(field, 'allowed: round_robin, least_connections');
  return value;
}

/** A load balancer is in one network at most (`load_balancer_already_attached`). */
export function attachLoadBalancer(
  project: CloudProject,
  balancer: LoadBalancerRecord,
  network: NetworkRecord,
  request: AddressRequest,
): void {
  if (balancer.privateNets.length > 0)
    throw CloudErrorResponse.unprocessable(
      'load_balancer_already_attached',
      'the load balancer is already attached to a network',
    );
  const ip = allocateAddress(project, network, balancer.location.network_zone, request);
  balancer.privateNets = [{ network: network.id, ip }];
}
