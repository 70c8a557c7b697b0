import { pickLoopbackAddress } from '../../host/loopback-address.js';
import { locations, type Location } from '../catalog.js';
import { CloudErrorResponse } from '../cloud-error-response.js';
import {
  idOrName,
  jsonBody,
  labels,
  optionalBoolean,
  optionalString,
  requiredString,
  type JsonObject,
} from '../cloud-input.js';
import type { CloudContext, CloudReply, CloudRoute } from '../cloud-route.js';
import { recordOf } from '../cloud-route.js';
import { listResponse } from '../list-query.js';
import type { LoadBalancerRecord } from '../load-balancer-record.js';
import { assertPortFree, serviceInput } from '../load-balancer-services.js';
import { assertTargetAllowed, targetInput } from '../load-balancer-targets.js';
import { loadBalancerTypes, renderLoadBalancerType } from '../load-balancer-types.js';
import { renderLoadBalancer } from '../load-balancer-view.js';
import { networkZones } from '../network-record.js';
import { assertUnlocked } from '../resource-actions.js';
import { algorithmOf, attachLoadBalancer, findLoadBalancerType } from '../load-balancer-input.js';
import { networkIn } from './server-network-actions.js';

export function balancerOf(context: CloudContext): LoadBalancerRecord {
  return recordOf(context.project.loadBalancers, context.params.id, 'load balancer');
}

/** `location`, or the first location of `network_zone` (the API picks one in the zone). */
function placeOf(body: JsonObject): Location {
  const wanted = idOrName(body, 'location');
  const zone = optionalString(body, 'network_zone');
  if (zone !== undefined && !(networkZones as readonly string[]).includes(zone))
    throw CloudErrorResponse.invalidField('network_zone', `allowed: ${networkZones.join(', ')}`);
  const location = locations.find((l) =>
    wanted === undefined ? l.network_zone === zone : l.id === wanted || l.name === wanted,
  );
  if (wanted === undefined && zone === undefined)
    throw CloudErrorResponse.invalidInput("invalid input in fields 'location', 'network_zone'", [
      { name: 'location', messages: ['location or network_zone is required'] },
      { name: 'network_zone', messages: ['location or network_zone is required'] },
    ]);
  if (location === undefined || (zone !== undefined && location.network_zone !== zone))
    throw CloudErrorResponse.invalidField('location', 'location not found in the network zone');
  return location;
}

function assertNameFree(context: CloudContext, name: string, except?: number): void {
  for (const balancer of context.project.loadBalancers.values())
    if (balancer.name === name && balancer.id !== except)
      throw CloudErrorResponse.uniqueness('name', 'load balancer name is already used');
}

function objects(body: JsonObject, field: string): JsonObject[] {
  const value = body[field] ?? [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'object' || v === null || Array.isArray(v)))
    throw CloudErrorResponse.invalidField(field, 'must be an array of objects');
  return value as JsonObject[];
}

/**
 * `POST /load_balancers`: everything is checked on a draft before anything is kept (services,
 * targets and the network as the matching actions would check them); 201 with the
 * `create_load_balancer` action, during which the load balancer is locked.
 */
async function createLoadBalancer(context: CloudContext): Promise<CloudReply> {
  const { project } = context;
  const body = jsonBody(context.body);
  const name = requiredString(body, 'name');
  assertNameFree(context, name);
  const draft: LoadBalancerRecord = {
    id: project.nextId(),
    name,
    labels: labels(body) ?? {},
    created: new Date(),
    type: findLoadBalancerType(body),
    location: placeOf(body),
    algorithm: algorithmOf((body.algorithm ?? {}) as JsonObject),
    publicInterface: optionalBoolean(body, 'public_interface', true),
    ipv4: await pickLoopbackAddress(),
    ipv6: '',
    privateNets: [],
    services: [],
    targets: [],
    protection: { delete: false },
  };
  const balancer = { ...draft, ipv6: `2001:db8:ffff:${(draft.id & 0xffff).toString(16)}::1` };
  if (body.network !== undefined && body.network !== null)
    attachLoadBalancer(project, balancer, networkIn(project, body), {});
  for (const input of objects(body, 'services')) {
    const service = serviceInput(input);
    assertPortFree(balancer.services, service.listen_port);
    balancer.services.push(service);
  }
  for (const input of objects(body, 'targets')) {
    const target = targetInput(project, input);
    assertTargetAllowed(project, balancer, target);
    balancer.targets.push(target);
  }
  assertNameFree(context, name); // again: another create may have taken it meanwhile
  project.loadBalancers.set(balancer.id, balancer);
  const action = project.actions.start({
    command: 'create_load_balancer',
    resources: [{ id: balancer.id, type: 'load_balancer' }],
    durationMs: project.env.durations.createLoadBalancerMs,
  });
  return {
    status: 201,
    body: { load_balancer: renderLoadBalancer(project, balancer), action: project.actions.render(action) },
  };
}

/** `/load_balancers` and `/load_balancer_types` (docs.hetzner.cloud); DELETE answers 204. */
export const loadBalancerRoutes: readonly CloudRoute[] = [
  {
    method: 'GET',
    path: '/load_balancers',
    handler: ({ project, url }) => {
      const list = listResponse(
        project.loadBalancers.values(),
        url.searchParams,
        {
          key: 'load_balancers',
          sortFields: { id: (b) => b.id, name: (b) => b.name, created: (b) => b.created.getTime() },
          render: (b) => renderLoadBalancer(project, b),
        },
        url,
      );
      return { status: 200, body: list.body, headers: { Link: list.link } };
    },
  },
  { method: 'POST', path: '/load_balancers', handler: createLoadBalancer },
  {
    method: 'GET',
    path: '/load_balancers/:id',
    handler: (context) => ({
      status: 200,
      body: { load_balancer: renderLoadBalancer(context.project, balancerOf(context)) },
    }),
  },
  {
    method: 'PUT',
    path: '/load_balancers/:id',
    handler: (context) => {
      const balancer = balancerOf(context);
      const body = jsonBody(context.body);
      const name = optionalString(body, 'name');
      const newLabels = labels(body);
      if (name !== undefined) {
        if (name === '') throw CloudErrorResponse.invalidField('name', 'must not be empty');
        assertNameFree(context, name, balancer.id);
        balancer.name = name;
      }
      if (newLabels !== undefined) balancer.labels = newLabels;
      return { status: 200, body: { load_balancer: renderLoadBalancer(context.project, balancer) } };
    },
  },
  {
    method: 'DELETE',
    path: '/load_balancers/:id',
    handler: (context) => {
      const balancer = balancerOf(context);
      if (balancer.protection.delete) throw CloudErrorResponse.protected('load balancer');
      assertUnlocked(context.project, { type: 'load_balancer', id: balancer.id });
      context.project.loadBalancers.delete(balancer.id);
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/load_balancer_types',
    handler: ({ url }) => {
      const list = listResponse(
        loadBalancerTypes,
        url.searchParams,
        {
          key: 'load_balancer_types',
          sortFields: { id: (t) => t.id, name: (t) => t.name },
          render: renderLoadBalancerType,
        },
        url,
      );
      return { status: 200, body: list.body, headers: { Link: list.link } };
    },
  },
  {
    method: 'GET',
    path: '/load_balancer_types/:id',
    handler: ({ params }) => {
      const type = loadBalancerTypes.find((t) => String(t.id) === params.id);
      if (type === undefined) throw CloudErrorResponse.notFound('load balancer type');
      return { status: 200, body: { load_balancer_type: renderLoadBalancerType(type) } };
    },
  },
];
