import type { SimulatedMachine } from '../machine/simulated-machine.js';
import { renderLocation, renderServerType, type Location, type ServerType } from './catalog.js';
import { renderAnyImage, type AnyImage } from './snapshot-images.js';
import { timestamp } from './time.js';

export type ServerStatus =
  'running' | 'initializing' | 'starting' | 'stopping' | 'off' | 'deleting' | 'rebuilding';

export interface ServerRecord {
  readonly id: number;
  name: string;
  status: ServerStatus;
  readonly created: Date;
  labels: Record<string, string>;
  readonly serverType: ServerType;
  readonly location: Location;
  readonly image: AnyImage;
  readonly ipv4: { readonly id: number; readonly ip: string } | undefined;
  readonly ipv6: { readonly id: number; readonly network: string } | undefined;
  readonly userData: string;
  readonly sshKeyIds: readonly number[];
  readonly protection: { delete: boolean; rebuild: boolean };
  readonly machine: SimulatedMachine;
  placementGroupId: number | undefined;
  /** Attachments to private networks, in the order they were made. */
  privateNets: PrivateNetAttachment[];
}

export interface PrivateNetAttachment {
  readonly network: number;
  readonly ip: string;
  readonly aliasIps: readonly string[];
  readonly macAddress: string;
}

/** What the server object shows of other resources (computed by the project). */
export interface ServerRelations {
  readonly locked: boolean;
  readonly placementGroup: Record<string, unknown> | null;
  readonly loadBalancers: readonly number[];
}

/** The server object of docs.hetzner.cloud (current shape: `location`, no `datacenter`). */
export function renderServer(server: ServerRecord, relations: ServerRelations): Record<string, unknown> {
  return {
    id: server.id,
    name: server.name,
    status: server.status,
    created: timestamp(server.created),
    public_net: {
      ipv4: server.ipv4
        ? { id: server.ipv4.id, ip: server.ipv4.ip, blocked: false, dns_ptr: reverseDns(server.ipv4.ip) }
        : null,
      ipv6: server.ipv6 ? { id: server.ipv6.id, ip: server.ipv6.network, blocked: false, dns_ptr: [] } : null,
      floating_ips: [],
      firewalls: [],
    },
    private_net: server.privateNets.map((net) => ({
      network: net.network,
      ip: net.ip,
      alias_ips: [...net.aliasIps],
      mac_address: net.macAddress,
    })),
    server_type: renderServerType(server.serverType),
    location: renderLocation(server.location),
    image: renderAnyImage(server.image),
    iso: null,
    rescue_enabled: server.machine.rescueActive,
    locked: relations.locked,
    backup_window: null,
    outgoing_traffic: 0,
    ingoing_traffic: 0,
    included_traffic: 21990232555520,
    protection: { ...server.protection },
    labels: { ...server.labels },
    volumes: [],
    load_balancers: [...relations.loadBalancers],
    primary_disk_size: server.serverType.disk,
    placement_group: relations.placementGroup,
  };
}

function reverseDns(ip: string): string {
  return `static.${ip.split('.').reverse().join('.')}.clients.your-server.de`;
}
