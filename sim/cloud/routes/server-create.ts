import { randomBytes } from 'node:crypto';
import type { ActionRecord } from '../action-book.js';
import { locations, serverTypes, type Location, type ServerType } from '../catalog.js';
import { CloudErrorResponse } from '../cloud-error-response.js';
import {
  idOrName,
  idOrNameList,
  jsonBody,
  labels,
  optionalBoolean,
  optionalString,
  requiredString,
  type JsonObject,
} from '../cloud-input.js';
import type { CloudContext, CloudReply } from '../cloud-route.js';
import type { CloudProject, SshKeyRecord } from '../cloud-project.js';
import { assertGroupHasRoom, type PlacementGroupRecord } from '../placement-group-record.js';
import { allocateAddress } from '../network-addresses.js';
import type { NetworkRecord } from '../network-record.js';
import { attachServer } from '../server-networks.js';
import type { ServerRecord } from '../server-record.js';
import { allImages, isSnapshot, type AnyImage } from '../snapshot-images.js';

/** RFC 1123 hostname: letters, digits, `.` and `-`. */
export const hostnamePattern =
  /^(?=.{1,253}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const maxUserDataBytes = 32 * 1024;
const unsupported = ['volumes', 'firewalls'] as const;

/**
 * `POST /servers`: validates everything before anything is created, so a rejected request
 * leaves no trace (clients retry POSTs); answers 201 with server, action, next_actions, root_password.
 */
export async function createServer(context: CloudContext): Promise<CloudReply> {
  const { project, lifecycle } = context;
  const body = jsonBody(context.body);
  const input = readInput(project, body);
  const id = project.nextId();
  const machine = await project.newMachine(id, input.serverType.disk);
  // Another create may have taken the name while the address was picked.
  if ([...project.servers.values()].some((s) => s.name === input.name))
    throw CloudErrorResponse.uniqueness('name', 'server name is already used');
  if (input.placementGroup) assertGroupHasRoom(input.placementGroup, project.servers.values());
  const publicNet = (body.public_net ?? {}) as JsonObject;
  const server: ServerRecord = {
    id,
    name: input.name,
    status: 'initializing',
    created: new Date(),
    labels: input.labels,
    serverType: input.serverType,
    location: input.location,
    image: input.image,
    ipv4: optionalBoolean(publicNet, 'enable_ipv4', true)
      ? { id: project.nextId(), ip: machine.host.address }
      : undefined,
    ipv6: optionalBoolean(publicNet, 'enable_ipv6', true)
      ? { id: project.nextId(), network: ipv6Network(id) }
      : undefined,
    userData: input.userData,
    sshKeyIds: input.sshKeys.map((key) => key.id),
    protection: { delete: false, rebuild: false },
    machine,
    placementGroupId: input.placementGroup?.id,
    privateNets: [],
  };
  // Addresses are taken now, so a create that cannot get one is refused and leaves nothing.
  for (const network of input.networks) attachServer(project, server, network, {});
  project.servers.set(id, server);
  const created = lifecycle.created(server, input.startAfterCreate);
  const { action } = created;
  const next = [
    ...created.next,
    ...input.networks.map((network) => attachAfterCreate(context, server, network, action)),
  ];
  return {
    status: 201,
    body: {
      server: lifecycle.render(server),
      action: project.actions.render(action),
      next_actions: next.map((a) => project.actions.render(a)),
      root_password: input.sshKeys.length === 0 ? randomBytes(12).toString('base64url') : null,
    },
  };
}

interface CreateInput {
  readonly name: string;
  readonly serverType: ServerType;
  readonly image: AnyImage;
  readonly location: Location;
  readonly labels: Record<string, string>;
  readonly userData: string;
  readonly sshKeys: readonly SshKeyRecord[];
  readonly startAfterCreate: boolean;
  readonly placementGroup: PlacementGroupRecord | undefined;
  readonly networks: readonly NetworkRecord[];
}

function readInput(project: CloudProject, body: JsonObject): CreateInput {
  const name = requiredString(body, 'name');
  if (!hostnamePattern.test(name))
    throw CloudErrorResponse.invalidField('name', 'must be a valid hostname (RFC 1123)');
  refuseUnsupported(body);
  const serverType = findServerType(body);
  const userData = optionalString(body, 'user_data') ?? '';
  if (Buffer.byteLength(userData) > maxUserDataBytes)
    throw CloudErrorResponse.invalidField('user_data', 'must be at most 32 KiB');
  const input: CreateInput = {
    name,
    serverType,
    image: findImage(project, body, serverType),
    location: findLocation(body),
    labels: labels(body) ?? {},
    userData,
    sshKeys: idOrNameList(body, 'ssh_keys').map((key) => findSshKey(project, key)),
    startAfterCreate: optionalBoolean(body, 'start_after_create', true),
    placementGroup: findPlacementGroup(project, body),
    networks: findNetworks(project, body),
  };
  if ([...project.servers.values()].some((s) => s.name === name))
    throw CloudErrorResponse.uniqueness('name', 'server name is already used');
  // A dry run: a network without a subnet in the server's zone refuses the create up front.
  for (const network of input.networks) allocateAddress(project, network, input.location.network_zone, {});
  return input;
}

/** `networks`: IDs of networks to attach to, each once. */
function findNetworks(project: CloudProject, body: JsonObject): NetworkRecord[] {
  const value = body.networks;
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw CloudErrorResponse.invalidField('networks', 'must be an array of network IDs');
  const networks = value.map((id: unknown) => {
    const network = typeof id === 'number' ? project.networks.get(id) : undefined;
    if (network === undefined)
      throw CloudErrorResponse.invalidField('networks', `network ${String(id).slice(0, 20)} not found`);
    return network;
  });
  if (new Set(networks).size !== networks.length)
    throw CloudErrorResponse.invalidField('networks', 'names a network twice');
  return networks;
}

/** Each network of the create is an `attach_to_network` next action, begun once the server exists. */
function attachAfterCreate(
  context: CloudContext,
  server: ServerRecord,
  network: NetworkRecord,
  after: ActionRecord,
): ActionRecord {
  return context.project.actions.start(
    {
      command: 'attach_to_network',
      resources: [
        { id: server.id, type: 'server' },
        { id: network.id, type: 'network' },
      ],
      durationMs: context.project.env.durations.configActionMs,
    },
    after,
  );
}

/** A full spread group refuses the create before anything is made. */
function findPlacementGroup(project: CloudProject, body: JsonObject): PlacementGroupRecord | undefined {
  const wanted = body.placement_group;
  if (wanted === undefined || wanted === null) return undefined;
  if (typeof wanted !== 'number' || !Number.isSafeInteger(wanted))
    throw CloudErrorResponse.invalidField('placement_group', 'must be a placement group ID');
  const group = project.placementGroups.get(wanted);
  if (group === undefined)
    throw CloudErrorResponse.invalidField('placement_group', 'placement group not found');
  assertGroupHasRoom(group, project.servers.values());
  return group;
}

/** Volumes and firewalls are not simulated; say so rather than ignore them. */
function refuseUnsupported(body: JsonObject): void {
  for (const field of unsupported) {
    const value = body[field];
    if (value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0))
      throw CloudErrorResponse.invalidField(field, 'is not supported by this simulator');
  }
}

function findServerType(body: JsonObject): ServerType {
  const wanted = idOrName(body, 'server_type');
  if (wanted === undefined) throw CloudErrorResponse.invalidField('server_type', 'is required');
  const found = serverTypes.find((t) => t.id === wanted || t.name === wanted);
  if (found === undefined) throw CloudErrorResponse.invalidField('server_type', 'server type not found');
  return found;
}

/** A system image by id or name, or a snapshot or backup by id (they have no name), for the type's architecture. */
function findImage(project: CloudProject, body: JsonObject, type: ServerType): AnyImage {
  const wanted = idOrName(body, 'image');
  if (wanted === undefined) throw CloudErrorResponse.invalidField('image', 'is required');
  const found = allImages(project.snapshots).find(
    (i) =>
      (i.id === wanted || (!isSnapshot(i) && i.name === wanted)) &&
      i.architecture === type.architecture &&
      !(isSnapshot(i) && i.status !== 'available'),
  );
  if (found === undefined)
    throw CloudErrorResponse.invalidInput('image not found', [
      { name: 'image', messages: ['image not found'] },
    ]);
  return found;
}

function findLocation(body: JsonObject): Location {
  const wanted = idOrName(body, 'location');
  const datacenter = optionalString(body, 'datacenter');
  if (wanted !== undefined && datacenter !== undefined)
    throw CloudErrorResponse.invalidInput("invalid input in fields 'location', 'datacenter'", [
      { name: 'location', messages: ['must not be combined with datacenter'] },
      { name: 'datacenter', messages: ['must not be combined with location'] },
    ]);
  // Older clients send a datacenter (`fsn1-dc14`); its location is the part before the dash.
  const key = wanted ?? datacenter?.split('-')[0] ?? 'fsn1';
  const found = locations.find((l) => l.id === key || l.name === key);
  if (found === undefined)
    throw CloudErrorResponse.invalidField(datacenter ? 'datacenter' : 'location', 'location not found');
  return found;
}

function findSshKey(project: CloudProject, key: number | string): SshKeyRecord {
  const found = [...project.sshKeys.values()].find((k) => k.id === key || k.name === key);
  if (found === undefined)
    throw CloudErrorResponse.invalidField('ssh_keys', `SSH key ${String(key)} not found`);
  return found;
}

function ipv6Network(id: number): string {
  return `2001:db8:${(id >> 16).toString(16)}:${(id & 0xffff).toString(16)}::/64`;
}
