import { isCloudError } from '../../ports/cloud-errors.js';
import type {
  ActionRef,
  CloudAction,
  CloudServer,
  CloudServerReboots,
  CloudServers,
  CreatedServer,
  CreateServerInput,
  DeletedServer,
  EnableRescueInput,
  ImageList,
  ListImagesInput,
  ServerRef,
  SetServerLabelsInput,
} from '../../ports/cloud-servers.js';
import { CatalogLookups } from './catalog-lookups.js';
import { HcloudTransport } from './hcloud-transport.js';
import type { RequestBudgetState } from './request-budget.js';
import type { HcloudTransportOptions } from './transport-options.js';
import { ActionLooks } from './action-looks.js';
import {
  actionEnvelopeSchema,
  actionListSchema,
  createdServerSchema,
  serverEnvelopeSchema,
  serverListSchema,
} from './wire-schemas.js';
import { parseAnswer, toCloudAction, toCloudServer } from './wire-mapping.js';

/** The create fields the API leaves out when they are absent. */
function optionalCreateFields(input: CreateServerInput): Record<string, unknown> {
  const networks = input.networkIds ?? [];
  return {
    ...(input.location === undefined ? {} : { location: input.location }),
    ...(input.userData === undefined ? {} : { user_data: input.userData }),
    ...(input.placementGroupId === undefined ? {} : { placement_group: input.placementGroupId }),
    ...(networks.length === 0 ? {} : { networks: [...networks] }),
  };
}

export interface HcloudServersOptions extends HcloudTransportOptions {
  /** How long SSH key ids are remembered by name; default 5 minutes. */
  readonly sshKeyTtlMs?: number;
}

/** The `CloudServers` port over the Hetzner Cloud API (docs.hetzner.cloud), one instance per token. */
export class HcloudServers implements CloudServers, CloudServerReboots {
  private readonly transport: HcloudTransport;
  private readonly lookups: CatalogLookups;
  private readonly actionLooks: ActionLooks;

  constructor(options: HcloudServersOptions) {
    this.transport = new HcloudTransport(options);
    this.lookups = new CatalogLookups(this.transport, {
      now: options.now ?? Date.now,
      ...(options.sshKeyTtlMs === undefined ? {} : { sshKeyTtlMs: options.sshKeyTtlMs }),
    });
    this.actionLooks = new ActionLooks((ids) => this.getActions(ids), { now: options.now ?? Date.now });
  }

  /** The request budget of this token, for metrics. */
  budgetState(): RequestBudgetState {
    return this.transport.budgetState();
  }

  async createServer(input: CreateServerInput): Promise<CreatedServer> {
    const operation = 'createServer';
    const image =
      typeof input.image === 'number'
        ? input.image
        : await this.lookups.imageFor(operation, input.image, input.serverType);
    const sshKeys = await this.lookups.sshKeyIds(operation, input.sshKeys);
    const body = await this.transport.request({
      operation,
      method: 'POST',
      path: '/servers',
      body: {
        name: input.name,
        server_type: input.serverType,
        image,
        labels: { ...input.labels },
        ssh_keys: sshKeys,
        start_after_create: input.startAfterCreate ?? false,
        public_net: {
          enable_ipv4: input.publicNetwork?.enableIPv4 ?? true,
          enable_ipv6: input.publicNetwork?.enableIPv6 ?? true,
        },
        ...optionalCreateFields(input),
      },
    });
    const created = parseAnswer(createdServerSchema, body, operation);
    return { server: toCloudServer(created.server), actionId: created.action.id };
  }

  listImages(input: ListImagesInput): Promise<ImageList> {
    return this.lookups.listImages('listImages', input);
  }

  /** Looks of many machines within a short window share one `GET /actions?id=…` (./action-looks.ts). */
  getAction(input: ActionRef): Promise<CloudAction> {
    return this.actionLooks.get(input.actionId);
  }

  private async getActions(ids: readonly number[]): Promise<readonly CloudAction[]> {
    const query = ids.map((id) => `id=${id}`).join('&');
    const body = await this.transport.request({
      operation: 'getAction',
      method: 'GET',
      path: `/actions?${query}&per_page=${ids.length}`,
    });
    return parseAnswer(actionListSchema, body, 'getAction').actions.map(toCloudAction);
  }

  async enableRescue(input: EnableRescueInput): Promise<ActionRef> {
    const operation = 'enableRescue';
    const sshKeys = await this.lookups.sshKeyIds(operation, input.sshKeys);
    return this.serverAction(operation, input.serverId, 'enable_rescue', {
      type: 'linux64',
      ...(sshKeys.length === 0 ? {} : { ssh_keys: sshKeys }),
    });
  }

  powerOn(input: ServerRef): Promise<ActionRef> {
    return this.serverAction('powerOn', input.serverId, 'poweron');
  }

  reset(input: ServerRef): Promise<ActionRef> {
    return this.serverAction('reset', input.serverId, 'reset');
  }

  reboot(input: ServerRef): Promise<ActionRef> {
    return this.serverAction('reboot', input.serverId, 'reboot');
  }

  async getServer(input: ServerRef): Promise<CloudServer | undefined> {
    try {
      const body = await this.transport.request({
        operation: 'getServer',
        method: 'GET',
        path: `/servers/${input.serverId}`,
      });
      return toCloudServer(parseAnswer(serverEnvelopeSchema, body, 'getServer').server);
    } catch (error) {
      if (isCloudError(error, 'not_found')) return undefined;
      throw error;
    }
  }

  async findServerByName(input: { readonly name: string }): Promise<CloudServer | undefined> {
    const body = await this.transport.request({
      operation: 'findServerByName',
      method: 'GET',
      path: '/servers',
      query: { name: input.name },
    });
    const found = parseAnswer(serverListSchema, body, 'findServerByName').servers.find(
      (server) => server.name === input.name,
    );
    return found === undefined ? undefined : toCloudServer(found);
  }

  async deleteServer(input: ServerRef): Promise<DeletedServer> {
    try {
      await this.transport.request({
        operation: 'deleteServer',
        method: 'DELETE',
        path: `/servers/${input.serverId}`,
      });
      return { deleted: true };
    } catch (error) {
      if (isCloudError(error, 'not_found')) return { deleted: false };
      throw error;
    }
  }

  async setServerLabels(input: SetServerLabelsInput): Promise<CloudServer> {
    const body = await this.transport.request({
      operation: 'setServerLabels',
      method: 'PUT',
      path: `/servers/${input.serverId}`,
      body: { labels: { ...input.labels } },
    });
    return toCloudServer(parseAnswer(serverEnvelopeSchema, body, 'setServerLabels').server);
  }

  private async serverAction(
    operation: string,
    serverId: number,
    action: string,
    body?: Record<string, unknown>,
  ): Promise<ActionRef> {
    const answer = await this.transport.request({
      operation,
      method: 'POST',
      path: `/servers/${serverId}/actions/${action}`,
      ...(body === undefined ? {} : { body }),
    });
    return { actionId: parseAnswer(actionEnvelopeSchema, answer, operation).action.id };
  }
}
