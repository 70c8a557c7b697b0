import type { ActionRecord } from '../action-book.js';
import { CloudErrorResponse } from '../cloud-error-response.js';
import { idOrNameList, jsonBody, labels, optionalString } from '../cloud-input.js';
import type { CloudContext, CloudReply, CloudRoute } from '../cloud-route.js';
import { serverOf } from '../cloud-route.js';
import type { ServerRecord } from '../server-record.js';
import { isSnapshot, renderAnyImage, type SnapshotImage } from '../snapshot-images.js';
import { actionList } from './actions.js';
import { serverNetworkActions } from './server-network-actions.js';
import { serverPlacementActions } from './server-placement-actions.js';

type ServerAction = (context: CloudContext, server: ServerRecord) => Record<string, unknown>;

const simple =
  (run: (context: CloudContext, server: ServerRecord) => ActionRecord): ServerAction =>
  (context, server) => ({ action: context.project.actions.render(run(context, server)) });

/** `POST /servers/{id}/actions/<name>`: every one answers 201. */
const serverActions: Readonly<Record<string, ServerAction>> = {
  ...serverPlacementActions,
  ...serverNetworkActions,
  poweron: simple((c, s) => c.lifecycle.poweron(s)),
  poweroff: simple((c, s) => c.lifecycle.poweroff(s)),
  shutdown: simple((c, s) => c.lifecycle.shutdown(s)),
  reboot: simple((c, s) => c.lifecycle.reboot(s)),
  reset: simple((c, s) => c.lifecycle.reset(s)),
  disable_rescue: simple((c, s) => c.lifecycle.disableRescue(s)),
  enable_rescue: (context, server) => {
    const body = jsonBody(context.body);
    // hcloud-go sends `"type": ""` when the caller left it unset; linux64 is the only type left.
    const type = optionalString(body, 'type') ?? '';
    if (type !== '' && type !== 'linux64') throw CloudErrorResponse.invalidField('type', 'allowed: linux64');
    const keys = idOrNameList(body, 'ssh_keys').map((id) => {
      const key = typeof id === 'number' ? context.project.sshKeys.get(id) : undefined;
      if (key === undefined)
        throw CloudErrorResponse.invalidField('ssh_keys', `SSH key ${String(id)} not found`);
      return key.publicKey;
    });
    const { action, rootPassword } = context.lifecycle.enableRescue(server, keys);
    return { root_password: rootPassword, action: context.project.actions.render(action) };
  },
  create_image: (context, server) => {
    const body = jsonBody(context.body);
    const type = optionalString(body, 'type') ?? 'snapshot';
    if (type !== 'snapshot' && type !== 'backup')
      throw CloudErrorResponse.invalidField('type', 'allowed: snapshot, backup');
    const source = server.image;
    const image: SnapshotImage = {
      id: context.project.nextId(),
      type,
      status: 'creating',
      description: optionalString(body, 'description') ?? `${server.name}-${new Date().toISOString()}`,
      labels: labels(body) ?? {},
      architecture: server.serverType.architecture,
      created: new Date(),
      createdFrom: { id: server.id, name: server.name },
      diskSize: server.serverType.disk,
      osFlavor: isSnapshot(source) ? source.osFlavor : source.os_flavor,
      osVersion: isSnapshot(source) ? source.osVersion : source.os_version,
    };
    const action = context.lifecycle.createImage(server, image);
    return { image: renderAnyImage(image), action: context.project.actions.render(action) };
  },
};

function runServerAction(context: CloudContext): CloudReply {
  const run = serverActions[context.params.action ?? ''];
  const server = serverOf(context);
  if (run === undefined) throw CloudErrorResponse.notFound('action');
  return { status: 201, body: run(context, server) };
}

function serverActionRecords(context: CloudContext): ActionRecord[] {
  const server = serverOf(context);
  return [...context.project.actions.all()].filter((a) =>
    a.resources.some((r) => r.type === 'server' && r.id === server.id),
  );
}

/** Server-scoped action lists and lookups, including the deprecated per-server GET. */
export const serverActionRoutes: readonly CloudRoute[] = [
  {
    method: 'GET',
    path: '/servers/actions',
    handler: (context) => actionList(context, [...context.project.actions.all()].filter(isServerAction)),
  },
  {
    method: 'GET',
    path: '/servers/actions/:actionId',
    handler: (context) => {
      const action = context.project.actions.get(Number(context.params.actionId));
      if (action === undefined || !isServerAction(action)) throw CloudErrorResponse.notFound('action');
      return { status: 200, body: { action: context.project.actions.render(action) } };
    },
  },
  { method: 'POST', path: '/servers/:id/actions/:action', handler: runServerAction },
  {
    method: 'GET',
    path: '/servers/:id/actions',
    handler: (context) => actionList(context, serverActionRecords(context)),
  },
  {
    method: 'GET',
    path: '/servers/:id/actions/:actionId',
    handler: (context) => {
      const action = serverActionRecords(context).find((a) => String(a.id) === context.params.actionId);
      if (action === undefined) throw CloudErrorResponse.notFound('action');
      return { status: 200, body: { action: context.project.actions.render(action) } };
    },
  },
];

function isServerAction(action: ActionRecord): boolean {
  return action.resources.some((r) => r.type === 'server');
}
