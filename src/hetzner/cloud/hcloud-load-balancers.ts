import type {
  CloudLoadBalancer,
  CloudLoadBalancers,
  CreateLoadBalancerInput,
  LoadBalancerQuery,
  LoadBalancerRef,
  LoadBalancerService,
  ServerTarget,
} from '../../ports/cloud-load-balancers.js';
import { toCloudLoadBalancer } from './cluster-wire-mapping.js';
import {
  loadBalancerEnvelopeSchema,
  loadBalancerListSchema,
  type WireLoadBalancer,
} from './cluster-wire-schemas.js';
import { deleteResource } from './delete-resource.js';
import type { HcloudTransport } from './hcloud-transport.js';
import { listAllPages } from './paged-list.js';
import { actionEnvelopeSchema } from './wire-schemas.js';
import { parseAnswer } from './wire-mapping.js';

const wireService = (service: LoadBalancerService): Record<string, unknown> => ({
  protocol: service.protocol,
  listen_port: service.listenPort,
  destination_port: service.destinationPort,
  proxyprotocol: service.proxyProtocol,
});

/** The `CloudLoadBalancers` port over `/load_balancers` (docs.hetzner.cloud, "Load Balancers"). */
export class HcloudLoadBalancers implements CloudLoadBalancers {
  constructor(private readonly transport: HcloudTransport) {}

  async listLoadBalancers(input: LoadBalancerQuery): Promise<readonly CloudLoadBalancer[]> {
    type Page = { load_balancers: WireLoadBalancer[] };
    const query = {
      ...(input.labelSelector === undefined ? {} : { label_selector: input.labelSelector }),
      ...(input.name === undefined ? {} : { name: input.name }),
    };
    const balancers = await listAllPages<Page, WireLoadBalancer>(this.transport, {
      operation: 'listLoadBalancers',
      path: '/load_balancers',
      query,
      page: loadBalancerListSchema,
      items: (page) => page.load_balancers,
    });
    return balancers.map(toCloudLoadBalancer);
  }

  async createLoadBalancer(input: CreateLoadBalancerInput): Promise<CloudLoadBalancer> {
    const operation = 'createLoadBalancer';
    const body = await this.transport.request({
      operation,
      method: 'POST',
      path: '/load_balancers',
      body: {
        name: input.name,
        load_balancer_type: input.type,
        algorithm: { type: input.algorithm },
        location: input.location,
        labels: { ...input.labels },
        public_interface: true,
        services: input.services.map(wireService),
        ...(input.networkId === undefined ? {} : { network: input.networkId }),
      },
    });
    return toCloudLoadBalancer(parseAnswer(loadBalancerEnvelopeSchema, body, operation).load_balancer);
  }

  deleteLoadBalancer(input: LoadBalancerRef): Promise<{ readonly deleted: boolean }> {
    return deleteResource(this.transport, 'deleteLoadBalancer', `/load_balancers/${input.loadBalancerId}`);
  }

  async setLabels(
    input: LoadBalancerRef & { readonly labels: Readonly<Record<string, string>> },
  ): Promise<CloudLoadBalancer> {
    const operation = 'setLoadBalancerLabels';
    const body = await this.transport.request({
      operation,
      method: 'PUT',
      path: `/load_balancers/${input.loadBalancerId}`,
      body: { labels: { ...input.labels } },
    });
    return toCloudLoadBalancer(parseAnswer(loadBalancerEnvelopeSchema, body, operation).load_balancer);
  }

  changeType(input: LoadBalancerRef & { readonly type: string }): Promise<void> {
    return this.action('changeLoadBalancerType', input, 'change_type', { load_balancer_type: input.type });
  }

  changeAlgorithm(input: LoadBalancerRef & { readonly algorithm: string }): Promise<void> {
    return this.action('changeLoadBalancerAlgorithm', input, 'change_algorithm', { type: input.algorithm });
  }

  addService(input: LoadBalancerRef & { readonly service: LoadBalancerService }): Promise<void> {
    return this.action('addLoadBalancerService', input, 'add_service', wireService(input.service));
  }

  deleteService(input: LoadBalancerRef & { readonly listenPort: number }): Promise<void> {
    return this.action('deleteLoadBalancerService', input, 'delete_service', {
      listen_port: input.listenPort,
    });
  }

  attachToNetwork(input: LoadBalancerRef & { readonly networkId: number }): Promise<void> {
    return this.action('attachLoadBalancerToNetwork', input, 'attach_to_network', {
      network: input.networkId,
    });
  }

  addServerTarget(input: LoadBalancerRef & ServerTarget): Promise<void> {
    return this.action('addLoadBalancerTarget', input, 'add_target', {
      type: 'server',
      server: { id: input.serverId },
      use_private_ip: input.usePrivateIp,
    });
  }

  removeServerTarget(input: LoadBalancerRef & { readonly serverId: number }): Promise<void> {
    return this.action('removeLoadBalancerTarget', input, 'remove_target', {
      type: 'server',
      server: { id: input.serverId },
    });
  }

  private async action(
    operation: string,
    ref: LoadBalancerRef,
    action: string,
    body: Record<string, unknown>,
  ): Promise<void> {
    const answer = await this.transport.request({
      operation,
      method: 'POST',
      path: `/load_balancers/${ref.loadBalancerId}/actions/${action}`,
      body,
    });
    parseAnswer(actionEnvelopeSchema, answer, operation);
  }
}
