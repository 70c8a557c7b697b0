import { CloudErrorResponse } from '../cloud-error-response.js';
import {
  jsonBody,
  labels,
  optionalBoolean,
  optionalString,
  requiredString,
  type JsonObject,
} from '../cloud-input.js';
import type { CloudContext, CloudRoute } from '../cloud-route.js';
import { recordOf } from '../cloud-route.js';
import { listResponse } from '../list-query.js';
import { detachAll, networkMembers } from '../network-addresses.js';
import { networkRange, routeInput, subnetInput } from '../network-input.js';
import { renderNetwork, type NetworkRecord } from '../network-record.js';
import { assertUnlocked } from '../resource-actions.js';

export function networkOf(context: CloudContext): NetworkRecord {
  return recordOf(context.project.networks, context.params.id, 'network');
}

export function renderNetworkOf(context: CloudContext, network: NetworkRecord): Record<string, unknown> {
  return renderNetwork(network, networkMembers(context.project, network.id));
}

function assertNameFree(context: CloudContext, name: string, except?: number): void {
  for (const network of context.project.networks.values())
    if (network.name === name && network.id !== except)
      throw CloudErrorResponse.uniqueness('name', 'network name is already used');
}

function objects(body: JsonObject, field: string): JsonObject[] {
  const value = body[field];
  if (value === undefined || value === null) return [];
  if (
    !Array.isArray(value) ||
    value.some((item) => typeof item !== 'object' || item === null || Array.isArray(item))
  )
    throw CloudErrorResponse.invalidField(field, 'must be an array of objects');
  return value as JsonObject[];
}

/** `POST /networks`: subnets and routes are checked one after another, as if added in order. */
function createNetwork(context: CloudContext): { status: number; body: unknown } {
  const body = jsonBody(context.body);
  const name = requiredString(body, 'name');
  const network: NetworkRecord = {
    id: 0,
    name,
    ipRange: networkRange(body),
    subnets: [],
    routes: [],
    labels: labels(body) ?? {},
    protection: { delete: false },
    exposeRoutesToVSwitch: optionalBoolean(body, 'expose_routes_to_vswitch', false),
    created: new Date(),
  };
  for (const subnet of objects(body, 'subnets')) network.subnets.push(subnetInput(subnet, network, true));
  for (const route of objects(body, 'routes')) network.routes.push(routeInput(route, network));
  assertNameFree(context, name);
  const created = { ...network, id: context.project.nextId() };
  context.project.networks.set(created.id, created);
  return { status: 201, body: { network: renderNetworkOf(context, created) } };
}

/** `/networks` (docs.hetzner.cloud, "Networks"): DELETE 204 detaches what is attached. */
export const networkRoutes: readonly CloudRoute[] = [
  {
    method: 'GET',
    path: '/networks',
    handler: (context) => {
      const { url } = context;
      const list = listResponse(
        context.project.networks.values(),
        url.searchParams,
        {
          key: 'networks',
          sortFields: { id: (n) => n.id, name: (n) => n.name, created: (n) => n.created.getTime() },
          render: (n) => renderNetworkOf(context, n),
        },
        url,
      );
      return { status: 200, body: list.body, headers: { Link: list.link } };
    },
  },
  { method: 'POST', path: '/networks', handler: createNetwork },
  {
    method: 'GET',
    path: '/networks/:id',
    handler: (context) => ({ status: 200, body: { network: renderNetworkOf(context, networkOf(context)) } }),
  },
  {
    method: 'PUT',
    path: '/networks/:id',
    handler: (context) => {
      const network = networkOf(context);
      const body = jsonBody(context.body);
      const name = optionalString(body, 'name');
      const newLabels = labels(body);
      if (name !== undefined) {
        if (name === '') throw CloudErrorResponse.invalidField('name', 'must not be empty');
        assertNameFree(context, name, network.id);
        network.name = name;
      }
      if (newLabels !== undefined) network.labels = newLabels;
      network.exposeRoutesToVSwitch = optionalBoolean(
        body,
        'expose_routes_to_vswitch',
        network.exposeRoutesToVSwitch,
      );
      return { status: 200, body: { network: renderNetworkOf(context, network) } };
    },
  },
  {
    method: 'DELETE',
    path: '/networks/:id',
    handler: (context) => {
      const network = networkOf(context);
      if (network.protection.delete) throw CloudErrorResponse.protected('network');
      assertUnlocked(context.project, { type: 'network', id: network.id });
      detachAll(context.project, network.id);
      context.project.networks.delete(network.id);
      return { status: 204 };
    },
  },
];
