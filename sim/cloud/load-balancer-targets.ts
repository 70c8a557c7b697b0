import { CloudErrorResponse } from './cloud-error-response.js';
import type { JsonObject } from './cloud-input.js';
import type { CloudProject } from './cloud-project.js';
import { parseIp } from './ipv4-cidr.js';
import { matchesSelector, parseLabelSelector } from './label-selector.js';
import type { LoadBalancerRecord, TargetRecord } from './load-balancer-record.js';
import type { ServerRecord } from './server-record.js';

function nested(body: JsonObject, field: string): JsonObject {
  const value = body[field];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw CloudErrorResponse.invalidField(field, 'is required for this target type');
  return value as JsonObject;
}

function usePrivateIp(body: JsonObject): boolean {
  const value = body.use_private_ip ?? false;
  if (typeof value !== 'boolean')
    throw CloudErrorResponse.invalidField('use_private_ip', 'must be a boolean');
  return value;
}

/** A target as a request describes it (add_target, remove_target, create's `targets`). */
export function targetInput(project: CloudProject, body: JsonObject): TargetRecord {
  const type = body.type;
  if (type === 'server') {
    const id = nested(body, 'server').id;
    if (typeof id !== 'number' || !project.servers.has(id))
      throw CloudErrorResponse.invalidField('server.id', `server ${String(id).slice(0, 20)} not found`);
    return { type, serverId: id, usePrivateIp: usePrivateIp(body) };
  }
  if (type === 'label_selector') {
    const selector = nested(body, 'label_selector').selector;
    if (typeof selector !== 'string' || selector === '')
      throw CloudErrorResponse.invalidField('label_selector.selector', 'is required');
    parseLabelSelector(selector);
    return { type, selector, usePrivateIp: usePrivateIp(body) };
  }
  if (type === 'ip') {
    const ip = nested(body, 'ip').ip;
    if (typeof ip !== 'string' || parseIp(ip) === undefined)
      throw CloudErrorResponse.invalidField('ip.ip', 'must be an IPv4 address');
    return { type, ip };
  }
  throw CloudErrorResponse.invalidField('type', 'allowed: server, label_selector, ip');
}

export function sameTarget(a: TargetRecord, b: TargetRecord): boolean {
  if (a.type === 'server' && b.type === 'server') return a.serverId === b.serverId;
  if (a.type === 'label_selector' && b.type === 'label_selector') return a.selector === b.selector;
  return a.type === 'ip' && b.type === 'ip' && a.ip === b.ip;
}

/**
 * The rules of add_target (docs.hetzner.cloud, "Add Target"): each target once, the type's
 * target limit, private targets only on a load balancer in a network the server is in too,
 * and IP targets never of Hetzner Cloud servers.
 */
export function assertTargetAllowed(
  project: CloudProject,
  balancer: LoadBalancerRecord,
  target: TargetRecord,
): void {
  if (balancer.targets.some((existing) => sameTarget(existing, target)))
    throw CloudErrorResponse.unprocessable('target_already_defined', 'the target is already defined');
  if (balancer.targets.length >= balancer.type.maxTargets)
    throw new CloudErrorResponse(
      403,
      'resource_limit_exceeded',
      `load balancer type ${balancer.type.name} allows ${balancer.type.maxTargets} targets`,
    );
  if (target.type === 'ip') assertNotCloudIp(project, target.ip);
  else if (target.usePrivateIp) assertPrivatelyReachable(project, balancer, target);
}

function assertNotCloudIp(project: CloudProject, ip: string): void {
  if ([...project.servers.values()].some((s) => s.ipv4?.ip === ip))
    throw CloudErrorResponse.unprocessable(
      'cloud_resource_ip_not_allowed',
      'the IP belongs to a Hetzner Cloud resource',
    );
}

function assertPrivatelyReachable(
  project: CloudProject,
  balancer: LoadBalancerRecord,
  target: TargetRecord,
): void {
  const network = balancer.privateNets[0]?.network;
  if (network === undefined)
    throw CloudErrorResponse.unprocessable(
      'load_balancer_not_attached_to_network',
      'the load balancer is not attached to a network',
    );
  if (target.type !== 'server') return;
  const server = project.servers.get(target.serverId);
  if (!server?.privateNets.some((net) => net.network === network))
    throw CloudErrorResponse.unprocessable(
      'server_not_attached_to_network',
      'the server is not attached to the network of the load balancer',
    );
}

/** The servers a target stands for; a private label selector only takes servers in the load balancer's network. */
export function targetServers(
  project: CloudProject,
  balancer: LoadBalancerRecord,
  target: TargetRecord,
): ServerRecord[] {
  if (target.type === 'server') {
    const server = project.servers.get(target.serverId);
    return server ? [server] : [];
  }
  if (target.type === 'ip') return [];
  const selector = parseLabelSelector(target.selector);
  const network = balancer.privateNets[0]?.network;
  return [...project.servers.values()].filter(
    (server) =>
      matchesSelector(server.labels, selector) &&
      (!target.usePrivateIp || server.privateNets.some((net) => net.network === network)),
  );
}
