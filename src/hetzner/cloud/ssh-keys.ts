import { z } from 'zod';
import { CloudError, isCloudError } from '../../ports/cloud-errors.js';
import type { CloudSshKey, CloudSshKeyUploads } from '../../ports/cloud-ssh-keys.js';
import { HcloudTransport } from './hcloud-transport.js';
import type { HcloudTransportOptions } from './transport-options.js';
import { parseAnswer } from './wire-mapping.js';

const PER_PAGE = 50;
/** 50 pages of 50: far beyond any real project; a guard against a pagination that never ends. */
const MAX_PAGES = 50;

const sshKeySchema = z.object({ id: z.number(), name: z.string(), fingerprint: z.string() });
const sshKeyPageSchema = z.object({
  ssh_keys: z.array(sshKeySchema),
  meta: z.object({ pagination: z.object({ next_page: z.number().nullish() }).nullish() }).nullish(),
});

/**
 * The `CloudSshKeys` port over the Cloud API's `GET /ssh_keys` (docs.hetzner.cloud, "SSH Keys",
 * "Pagination"), one instance per token, on the same transport the servers client uses (budget,
 * retries, typed errors). A project's keys fit one page almost always: one call per listing.
 * `POST /ssh_keys` and `DELETE /ssh_keys/{id}` serve `imageurl provision`'s own key.
 */
export class HcloudSshKeys implements CloudSshKeyUploads {
  private readonly transport: HcloudTransport;

  constructor(options: HcloudTransportOptions) {
    this.transport = new HcloudTransport(options);
  }

  async listSshKeys(): Promise<readonly CloudSshKey[]> {
    const operation = 'listSshKeys';
    const keys: CloudSshKey[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const body = await this.transport.request({
        operation,
        method: 'GET',
        path: '/ssh_keys',
        query: { page: String(page), per_page: String(PER_PAGE) },
      });
      const answer = parseAnswer(sshKeyPageSchema, body, operation);
      keys.push(...answer.ssh_keys.map(({ id, name, fingerprint }) => ({ id, name, fingerprint })));
      const next = answer.meta?.pagination?.next_page;
      if (next === undefined || next === null || next <= page) return keys;
    }
    throw new CloudError('unknown', `hcloud ${operation}: more than ${MAX_PAGES} pages of SSH keys`);
  }

  async createSshKey(input: Parameters<CloudSshKeyUploads['createSshKey']>[0]): Promise<CloudSshKey> {
    const operation = 'createSshKey';
    const body = await this.transport.request({
      operation,
      method: 'POST',
      path: '/ssh_keys',
      body: { name: input.name, public_key: input.publicKey, labels: { ...input.labels } },
    });
    const { id, name, fingerprint } = parseAnswer(
      z.object({ ssh_key: sshKeySchema }),
      body,
      operation,
    ).ssh_key;
    return { id, name, fingerprint };
  }

  async deleteSshKey(input: { readonly id: number }): Promise<{ readonly deleted: boolean }> {
    try {
      await this.transport.request({
        operation: 'deleteSshKey',
        method: 'DELETE',
        path: `/ssh_keys/${input.id}`,
      });
      return { deleted: true };
    } catch (error) {
      if (isCloudError(error, 'not_found')) return { deleted: false };
      throw error;
    }
  }
}
