import { CloudErrorResponse } from './cloud-error-response.js';
import type { CloudProject } from './cloud-project.js';
import { overlaps } from './ipv4-cidr.js';
import { allocateAddress, privateMac, type AddressRequest } from './network-addresses.js';
import { cidrOf, type NetworkRecord } from './network-record.js';
import type { PrivateNetAttachment, ServerRecord } from './server-record.js';

/**
 * Attaches a server to a network (docs.hetzner.cloud, "Attach a Server to a Network"): once per
 * network (`server_already_attached`), never to two networks whose ranges overlap
 * (`networks_overlap`), with an address from a subnet of the server's network zone.
 */
export function attachServer(
  project: CloudProject,
  server: ServerRecord,
  network: NetworkRecord,
  request: AddressRequest & { readonly aliasIps?: readonly string[] },
): PrivateNetAttachment {
  if (server.privateNets.some((net) => net.network === network.id))
    throw CloudErrorResponse.unprocessable(
      'server_already_attached',
      'server is already attached to the network',
    );
  for (const net of server.privateNets) {
    const other = project.networks.get(net.network);
    if (other && overlaps(cidrOf(other.ipRange), cidrOf(network.ipRange)))
      throw CloudErrorResponse.unprocessable(
        'networks_overlap',
        `network ${network.ipRange} overlaps network ${other.ipRange} the server is attached to`,
      );
  }
  const zone = server.location.network_zone;
  const taken = new Set<string>();
  const ip = allocateAddress(project, network, zone, request);
  taken.add(ip);
  const aliasIps: string[] = [];
  for (const alias of request.aliasIps ?? []) {
    const aliasIp = allocateAddress(project, network, zone, { ip: alias, alsoTaken: taken });
    taken.add(aliasIp);
    aliasIps.push(aliasIp);
  }
  const attachment: PrivateNetAttachment = {
    network: network.id,
    ip,
    aliasIps,
    macAddress: privateMac(server.id, network.id),
  };
  server.privateNets = [...server.privateNets.filter((n) => n.network !== network.id), attachment];
  return attachment;
}

export function detachServer(server: ServerRecord, network: NetworkRecord): void {
  if (!server.privateNets.some((net) => net.network === network.id))
    throw CloudErrorResponse.invalidField('network', 'server is not attached to this network');
  server.privateNets = server.privateNets.filter((net) => net.network !== network.id);
}
