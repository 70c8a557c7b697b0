import { CloudError } from '../../ports/cloud-errors.js';
import type { ImageList, ListImagesInput } from '../../ports/cloud-servers.js';
import type { HcloudTransport } from './hcloud-transport.js';
import { imageListSchema, serverTypeListSchema, sshKeyListSchema } from './wire-schemas.js';
import { parseAnswer, toCloudImage } from './wire-mapping.js';

export interface CatalogLookupOptions {
  /** How long SSH key ids are remembered by name; default 5 minutes (0: ask every time). */
  readonly sshKeyTtlMs?: number;
  readonly now: () => number;
}

/** More pages than this are not read (the project would hold thousands of images). */
const maxImagePages = 20;

/**
 * Names → ids for server creation and rescue: server type architecture, image of a name for an
 * architecture, SSH keys. Remembered per client (server types and images do not change under a
 * name; SSH keys for a while), so a provisioned machine costs few calls. A lookup under way is
 * shared: machines created at once ask once.
 */
export class CatalogLookups {
  private readonly architectures = new Map<string, Promise<string>>();
  private readonly images = new Map<string, Promise<number>>();
  private readonly sshKeys = new Map<string, { id: Promise<number>; at: number }>();

  constructor(
    private readonly transport: HcloudTransport,
    private readonly options: CatalogLookupOptions,
  ) {}

  /** The id of the image `name` for the architecture of `serverType`. */
  async imageFor(operation: string, image: string, serverType: string): Promise<number> {
    const architecture = await this.architectureOf(operation, serverType);
    return remembered(this.images, `${image}\u0000${architecture}`, () =>
      this.fetchImage(operation, image, architecture),
    );
  }

  private async fetchImage(operation: string, image: string, architecture: string): Promise<number> {
    const body = await this.transport.request({
      operation,
      method: 'GET',
      path: '/images',
      query: { name: image, architecture, include_deprecated: 'true' },
    });
    const found = parseAnswer(imageListSchema, body, operation).images.find(
      (candidate) => candidate.name === image && candidate.architecture === architecture,
    );
    if (found === undefined)
      throw new CloudError('not_found', `hcloud ${operation}: no image '${image}' for ${architecture}`);
    return found.id;
  }

  /**
   * Images for the server type's architecture, as the API filters them (not cached: snapshots come
   * and go). Deprecated images are left out, as hcloud-go's list does by default.
   */
  async listImages(operation: string, input: ListImagesInput): Promise<ImageList> {
    const architecture = await this.architectureOf(operation, input.serverType);
    const query: Record<string, string> = { architecture, per_page: '50' };
    if (input.name !== undefined) query['name'] = input.name;
    if (input.labelSelector !== undefined) query['label_selector'] = input.labelSelector;
    const images = [];
    for (let page: number | null | undefined = 1; page && page <= maxImagePages;) {
      const body = await this.transport.request({
        operation,
        method: 'GET',
        path: '/images',
        query: { ...query, page: String(page) },
      });
      const answer = parseAnswer(imageListSchema, body, operation);
      images.push(...answer.images.filter((image) => image.architecture === architecture).map(toCloudImage));
      page = answer.meta?.pagination?.next_page;
    }
    return { architecture, images };
  }

  private architectureOf(operation: string, serverType: string): Promise<string> {
    return remembered(this.architectures, serverType, () => this.fetchArchitecture(operation, serverType));
  }

  private async fetchArchitecture(operation: string, serverType: string): Promise<string> {
    const body = await this.transport.request({
      operation,
      method: 'GET',
      path: '/server_types',
      query: { name: serverType },
    });
    const found = parseAnswer(serverTypeListSchema, body, operation).server_types.find(
      (candidate) => candidate.name === serverType,
    );
    if (found === undefined) {
      // `fields` marks it as a request no retry can fix: Hetzner's type catalog is not the user's.
      const message = `hcloud ${operation}: no server type '${serverType.slice(0, 63)}'`;
      throw new CloudError('not_found', message, { fields: ['server_type'] });
    }
    return found.architecture;
  }

  /** The ids of the SSH keys with these names, in order; a missing name rejects with `not_found`. */
  async sshKeyIds(operation: string, names: readonly string[]): Promise<number[]> {
    const ids: number[] = [];
    for (const name of names) ids.push(await this.sshKeyId(operation, name));
    return ids;
  }

  private sshKeyId(operation: string, name: string): Promise<number> {
    const now = this.options.now();
    const cached = this.sshKeys.get(name);
    if (cached !== undefined && now - cached.at < (this.options.sshKeyTtlMs ?? 300_000)) return cached.id;
    const id = this.fetchSshKeyId(operation, name);
    const entry = { id, at: now };
    this.sshKeys.set(name, entry);
    // A failed lookup is not remembered: the next call asks again.
    id.catch(() => {
      if (this.sshKeys.get(name) === entry) this.sshKeys.delete(name);
    });
    return id;
  }

  private async fetchSshKeyId(operation: string, name: string): Promise<number> {
    const body = await this.transport.request({
      operation,
      method: 'GET',
      path: '/ssh_keys',
      query: { name },
    });
    const found = parseAnswer(sshKeyListSchema, body, operation).ssh_keys.find((key) => key.name === name);
    if (found === undefined)
      throw new CloudError('not_found', `hcloud ${operation}: no SSH key named '${name}'`);
    return found.id;
  }
}

/** The answer for `key`, asked once (also while under way); a failure is forgotten, so asked again. */
function remembered<T>(cache: Map<string, Promise<T>>, key: string, ask: () => Promise<T>): Promise<T> {
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const answer = ask();
  cache.set(key, answer);
  answer.catch(() => {
    if (cache.get(key) === answer) cache.delete(key);
  });
  return answer;
}
