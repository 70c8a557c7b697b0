import type { ActionRecord } from '../action-book.js';
import { CloudErrorResponse } from '../cloud-error-response.js';
import { jsonBody, requiredString } from '../cloud-input.js';
import type { CloudContext } from '../cloud-route.js';
import { containsIp, containsRange, parseIp } from '../ipv4-cidr.js';
import { networkRange, routeInput, subnetInput } from '../network-input.js';
import { cidrOf, type NetworkRecord } from '../network-record.js';
import { usedAddresses } from '../network-addresses.js';
import { assertUnlocked, startConfigAction } from '../resource-actions.js';
import { resourceActionRoutes, type ResourceAction } from './resource-action-routes.js';

/** Checks the lock, applies the change at once, and reports it as a running action. */
function change(
  command: string,
  apply: (context: CloudContext, network: NetworkRecord) => void,
): ResourceAction<NetworkRecord> {
  return (context, network): ActionRecord => {
    assertUnlocked(context.project, { type: 'network', id: network.id });
    apply(context, network);
    return startConfigAction(context.project, { command, resources: [{ id: network.id, type: 'network' }] });
  };
}

/** A subnet in use keeps the addresses handed out of it; it cannot go before they are released. */
function assertSubnetUnused(context: CloudContext, network: NetworkRecord, ipRange: string): void {
  const cidr = cidrOf(ipRange);
  for (const ip of usedAddresses(context.project, network.id)) {
    const value = parseIp(ip);
    if (value !== undefined && containsIp(cidr, value))
      throw CloudErrorResponse.invalidField(
        'ip_range',
        `servers or load balancers are still attached to ${ipRange}`,
      );
  }
}

const networkActions: Readonly<Record<string, ResourceAction<NetworkRecord>>> = {
  add_subnet: change('add_subnet', (context, network) => {
    network.subnets.push(subnetInput(jsonBody(context.body), network, false));
  }),
  delete_subnet: change('delete_subnet', (context, network) => {
    const ipRange = requiredString(jsonBody(context.body), 'ip_range');
    if (!network.subnets.some((s) => s.ipRange === ipRange))
      throw CloudErrorResponse.invalidField('ip_range', `no subnet ${ipRange.slice(0, 50)} in this network`);
    assertSubnetUnused(context, network, ipRange);
    network.subnets = network.subnets.filter((s) => s.ipRange !== ipRange);
  }),
  add_route: change('add_route', (context, network) => {
    const route = routeInput(jsonBody(context.body), network);
    if (network.routes.some((r) => r.destination === route.destination))
      throw CloudErrorResponse.invalidField('destination', `a route to ${route.destination} exists already`);
    network.routes.push(route);
  }),
  delete_route: change('delete_route', (context, network) => {
    const body = jsonBody(context.body);
    const destination = requiredString(body, 'destination');
    const gateway = requiredString(body, 'gateway');
    const index = network.routes.findIndex((r) => r.destination === destination && r.gateway === gateway);
    if (index < 0) throw CloudErrorResponse.invalidField('destination', 'no such route in this network');
    network.routes.splice(index, 1);
  }),
  /** Only growing is allowed: the new range must hold the old one (and so every subnet). */
  change_ip_range: change('change_ip_range', (context, network) => {
    const ipRange = networkRange(jsonBody(context.body));
    if (!containsRange(cidrOf(ipRange), cidrOf(network.ipRange)))
      throw CloudErrorResponse.invalidField(
        'ip_range',
        `can only be extended; must contain ${network.ipRange}`,
      );
    network.ipRange = ipRange;
  }),
  change_protection: change('change_protection', (context, network) => {
    const value = jsonBody(context.body).delete;
    if (value !== undefined && typeof value !== 'boolean')
      throw CloudErrorResponse.invalidField('delete', 'must be a boolean');
    if (value !== undefined) network.protection.delete = value;
  }),
};

export const networkActionRoutes = resourceActionRoutes({
  path: '/networks',
  type: 'network',
  records: (project) => project.networks,
  actions: networkActions,
});
