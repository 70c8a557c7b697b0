import { renderLocation } from './catalog.js';
import type { CloudProject } from './cloud-project.js';
import type { LoadBalancerRecord, TargetRecord } from './load-balancer-record.js';
import { targetServers } from './load-balancer-targets.js';
import { renderLoadBalancerType } from './load-balancer-types.js';
import type { ServerRecord } from './server-record.js';
import { timestamp } from './time.js';

/**
 * Health per service: the simulator runs no checks, so a target server counts as healthy while
 * its status is `running` and unhealthy otherwise; IP targets are `unknown`.
 */
function health(balancer: LoadBalancerRecord, server: ServerRecord | undefined): Record<string, unknown>[] {
  const status = server === undefined ? 'unknown' : server.status === 'running' ? 'healthy' : 'unhealthy';
  return balancer.services.map((service) => ({ listen_port: service.listen_port, status }));
}

function renderTarget(
  project: CloudProject,
  balancer: LoadBalancerRecord,
  target: TargetRecord,
): Record<string, unknown> {
  if (target.type === 'ip')
    return { type: 'ip', ip: { ip: target.ip }, health_status: health(balancer, undefined) };
  const servers = targetServers(project, balancer, target);
  const serverTarget = (id: number, server: ServerRecord | undefined): Record<string, unknown> => ({
    type: 'server',
    server: { id },
    use_private_ip: target.usePrivateIp,
    health_status: health(balancer, server),
  });
  if (target.type === 'server') return serverTarget(target.serverId, servers[0]);
  return {
    type: 'label_selector',
    label_selector: { selector: target.selector },
    use_private_ip: target.usePrivateIp,
    targets: servers.map((server) => serverTarget(server.id, server)),
  };
}

/** The load balancer object of docs.hetzner.cloud. */
export function renderLoadBalancer(
  project: CloudProject,
  balancer: LoadBalancerRecord,
): Record<string, unknown> {
  return {
    id: balancer.id,
    name: balancer.name,
    public_net: {
      enabled: balancer.publicInterface,
      ipv4: {
        ip: balancer.ipv4,
        dns_ptr: `static.${balancer.ipv4.split('.').reverse().join('.')}.clients.your-server.de`,
      },
      ipv6: { ip: balancer.ipv6, dns_ptr: null },
    },
    private_net: balancer.privateNets.map((net) => ({ ...net })),
    location: renderLocation(balancer.location),
    load_balancer_type: renderLoadBalancerType(balancer.type),
    protection: { ...balancer.protection },
    labels: { ...balancer.labels },
    created: timestamp(balancer.created),
    services: balancer.services.map((service) => structuredClone(service)),
    targets: balancer.targets.map((target) => renderTarget(project, balancer, target)),
    algorithm: { type: balancer.algorithm },
    outgoing_traffic: null,
    ingoing_traffic: null,
    included_traffic: 21990232555520,
  };
}

/** The load balancers a server is a target of, directly or by a label selector (its `load_balancers`). */
export function loadBalancersOf(project: CloudProject, server: ServerRecord): number[] {
  return [...project.loadBalancers.values()]
    .filter((balancer) =>
      balancer.targets.some((target) =>
        targetServers(project, balancer, target).some((s) => s.id === server.id),
      ),
    )
    .map((balancer) => balancer.id);
}
