import type { z } from 'zod';
import { CloudError } from '../../ports/cloud-errors.js';
import type {
  CloudAction,
  CloudActionStatus,
  CloudImage,
  CloudServer,
  CloudServerStatus,
} from '../../ports/cloud-servers.js';
import type { WireAction, WireImage, WireServer } from './wire-schemas.js';

const serverStatuses: ReadonlySet<string> = new Set<CloudServerStatus>([
  'initializing',
  'starting',
  'running',
  'stopping',
  'off',
  'deleting',
  'migrating',
  'rebuilding',
  'unknown',
]);

const actionStatuses: ReadonlySet<string> = new Set<CloudActionStatus>(['running', 'success', 'error']);

/** Checks an answer's shape; a surprise is an `unknown` CloudError naming the operation. */
export function parseAnswer<T>(schema: z.ZodType<T>, body: unknown, operation: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const where = parsed.error.issues[0]?.path.join('.') ?? '';
  throw new CloudError('unknown', `hcloud ${operation}: unexpected answer from the API (at '${where}')`, {
    apiCode: 'unexpected_response',
  });
}

function privateNetsOf(server: WireServer): Pick<CloudServer, 'privateNets'> {
  const nets = server.private_net ?? [];
  if (nets.length === 0) return {};
  return { privateNets: nets.map((net) => ({ networkId: net.network, ip: net.ip })) };
}

export function toCloudServer(server: WireServer): CloudServer {
  const ipv4 = server.public_net?.ipv4?.ip;
  const ipv6 = server.public_net?.ipv6?.ip;
  return {
    id: server.id,
    name: server.name,
    status: serverStatuses.has(server.status) ? (server.status as CloudServerStatus) : 'unknown',
    labels: { ...(server.labels ?? {}) },
    ...(ipv4 === undefined ? {} : { publicIPv4: ipv4 }),
    ...(ipv6 === undefined ? {} : { publicIPv6Network: ipv6 }),
    rescueEnabled: server.rescue_enabled ?? false,
    ...privateNetsOf(server),
  };
}

/** A timestamp the API sent, or undefined when it sent none or one that does not parse. */
function timeOf(text: string | null | undefined): Date | undefined {
  if (text === null || text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** An unknown action status counts as still running (the caller polls again). */
export function toCloudAction(action: WireAction): CloudAction {
  const status = actionStatuses.has(action.status) ? (action.status as CloudActionStatus) : 'running';
  const error =
    status === 'error'
      ? (action.error ?? { code: 'action_failed', message: 'the action failed without details' })
      : undefined;
  const started = timeOf(action.started);
  const finished = timeOf(action.finished);
  return {
    id: action.id,
    command: action.command,
    status,
    ...(typeof action.progress === 'number' ? { progress: action.progress } : {}),
    ...(started === undefined ? {} : { started }),
    ...(finished === undefined ? {} : { finished }),
    ...(error === undefined ? {} : { error: { code: error.code, message: error.message } }),
  };
}

export function toCloudImage(image: WireImage): CloudImage {
  return {
    id: image.id,
    ...(image.name ? { name: image.name } : {}),
    description: image.description ?? '',
    type: image.type ?? 'unknown',
    labels: { ...(image.labels ?? {}) },
    rapidDeploy: image.rapid_deploy ?? false,
  };
}
