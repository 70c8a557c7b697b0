import { CloudErrorResponse } from '../cloud-error-response.js';
import { jsonBody, optionalString, type JsonObject } from '../cloud-input.js';
import type { CloudContext } from '../cloud-route.js';
import type { CloudProject } from '../cloud-project.js';
import type { NetworkRecord } from '../network-record.js';
import { assertUnlocked, startConfigAction } from '../resource-actions.js';
import { attachServer, detachServer } from '../server-networks.js';
import type { ServerRecord } from '../server-record.js';

type ServerAction = (context: CloudContext, server: ServerRecord) => Record<string, unknown>;

/** The network a body's `network` field names (an ID), or 422 naming the field. */
export function networkIn(project: CloudProject, body: JsonObject, field = 'network'): NetworkRecord {
  const id = body[field];
  if (typeof id !== 'number' || !Number.isSafeInteger(id))
    throw CloudErrorResponse.invalidField(field, 'must be a network ID');
  const network = project.networks.get(id);
  if (network === undefined) throw CloudErrorResponse.invalidField(field, `network ${id} not found`);
  return network;
}

function stringList(body: JsonObject, field: string): string[] {
  const value = body[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string'))
    throw CloudErrorResponse.invalidField(field, 'must be an array of IPs');
  return value as string[];
}

/** `attach_to_network` / `detach_from_network` (docs.hetzner.cloud, "Server Actions"). */
export const serverNetworkActions: Readonly<Record<string, ServerAction>> = {
  attach_to_network: (context, server) => {
    const body = jsonBody(context.body);
    const network = networkIn(context.project, body);
    assertUnlocked(context.project, { type: 'server', id: server.id });
    attachServer(context.project, server, network, {
      ip: optionalString(body, 'ip'),
      ipRange: optionalString(body, 'ip_range'),
      aliasIps: stringList(body, 'alias_ips'),
    });
    const action = startConfigAction(context.project, {
      command: 'attach_to_network',
      resources: [
        { id: server.id, type: 'server' },
        { id: network.id, type: 'network' },
      ],
    });
    return { action: context.project.actions.render(action) };
  },
  detach_from_network: (context, server) => {
    const network = networkIn(context.project, jsonBody(context.body));
    assertUnlocked(context.project, { type: 'server', id: server.id });
    detachServer(server, network);
    const action = startConfigAction(context.project, {
      command: 'detach_from_network',
      resources: [
        { id: server.id, type: 'server' },
        { id: network.id, type: 'network' },
      ],
    });
    return { action: context.project.actions.render(action) };
  },
};
