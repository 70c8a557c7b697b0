import { z } from 'zod';
import { CloudError } from '../../ports/cloud-errors.js';
import type { CloudSshKey, CloudSshKeys } from '../../ports/cloud-ssh-keys.js';
import { HcloudTransport } from './hcloud-transport.js';
import type { HcloudTransportOptions } from './transport-options.js';
import { parseAnswer } from './wire-mapping.js';

const PER_PAGE = 50;
/** 50 pages of 50: far beyond any real project; a guard against a pagination that never ends. */
const MAX_PAGES = 50;

const sshKeyPageSchema = z.object({
  ssh_keys: z.array(z.object({ id: z.number(), name: z.string(), fingerprint: z.string() })),
  meta: z.object({ pagination: z.object({ next_page: z.number().nullish() }).nullish() }).nullish(),
});

/**
 * The `CloudSshKeys` port over the Cloud API's `GET /ssh_keys` (docs.hetzner.cloud, "SSH Keys",
 * "Pagination"), one instance per token, on the same transport the servers client uses (budget,
 * retries, typed errors). A project's keys fit one page almost always: one call per listing.
 */
export class HcloudSshKeys implements CloudSshKeys {
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
}
