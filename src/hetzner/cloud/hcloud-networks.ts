import type { CloudNetwork, CloudNetworks, CreateNetworkInput } from '../../ports/cloud-networks.js';
import { toCloudNetwork } from './cluster-wire-mapping.js';
import { networkEnvelopeSchema, networkListSchema, type WireNetwork } from './cluster-wire-schemas.js';
import { deleteResource } from './delete-resource.js';
import type { HcloudTransport } from './hcloud-transport.js';
import { listAllPages } from './paged-list.js';
import { parseAnswer } from './wire-mapping.js';

/** The `CloudNetworks` port over the Cloud API's `/networks` (docs.hetzner.cloud, "Networks"). */
export class HcloudNetworks implements CloudNetworks {
  constructor(private readonly transport: HcloudTransport) {}

  async listNetworks(input: { readonly labelSelector: string }): Promise<readonly CloudNetwork[]> {
    const networks = await listAllPages<{ networks: WireNetwork[] }, WireNetwork>(this.transport, {
      operation: 'listNetworks',
      path: '/networks',
      query: { label_selector: input.labelSelector },
      page: networkListSchema,
      items: (page) => page.networks,
    });
    return networks.map(toCloudNetwork);
  }

  async createNetwork(input: CreateNetworkInput): Promise<CloudNetwork> {
    const operation = 'createNetwork';
    const body = await this.transport.request({
      operation,
      method: 'POST',
      path: '/networks',
      body: {
        name: input.name,
        ip_range: input.ipRange,
        labels: { ...input.labels },
        subnets: [{ type: 'cloud', ip_range: input.subnet.ipRange, network_zone: input.subnet.networkZone }],
      },
    });
    return toCloudNetwork(parseAnswer(networkEnvelopeSchema, body, operation).network);
  }

  deleteNetwork(input: { readonly networkId: number }): Promise<{ readonly deleted: boolean }> {
    return deleteResource(this.transport, 'deleteNetwork', `/networks/${input.networkId}`);
  }
}
