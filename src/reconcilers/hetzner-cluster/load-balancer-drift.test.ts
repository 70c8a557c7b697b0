import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HetznerClusterSpecSchema } from '../../../api/v1beta1/hetzner-cluster.js';
import type { CloudLoadBalancer } from '../../ports/cloud-load-balancers.js';
import { desiredServices, propertyChanges, targetChanges } from './load-balancer-drift.js';
import { endpointFromLoadBalancer } from './infra-reconcile.js';
import { labelSelector, placementGroupSpecName } from './infra-naming.js';

const spec = HetznerClusterSpecSchema.parse({
  controlPlaneRegions: ['fsn1'],
  controlPlaneEndpoint: { host: '', port: 443 },
  controlPlaneLoadBalancer: {
    region: 'fsn1',
    extraServices: [{ protocol: 'tcp', listenPort: 8132, destinationPort: 8132 }],
  },
  sshKeys: {},
  hetznerSecretRef: { name: 'hetzner', key: { hcloudToken: 'hcloud' } },
});
const balancerSpec = spec.controlPlaneLoadBalancer ?? assert.fail();

const actual = (over: Partial<CloudLoadBalancer> = {}): CloudLoadBalancer => ({
  id: 1,
  name: 'lb',
  type: 'lb11',
  algorithm: 'round_robin',
  location: 'fsn1',
  labels: {},
  privateNets: [],
  services: desiredServices(spec, balancerSpec),
  targets: [],
  protected: false,
  ...over,
});

describe('load balancer drift', () => {
  it('wants the Kubernetes API on the endpoint port to spec port 6443, then the extra services', () => {
    assert.deepEqual(
      desiredServices(spec, balancerSpec).map((s) => [s.protocol, s.listenPort, s.destinationPort]),
      [
        ['tcp', 443, 6443],
        ['tcp', 8132, 8132],
      ],
    );
  });

  it('finds nothing to do when the load balancer matches', () => {
    assert.deepEqual(
      propertyChanges(balancerSpec, desiredServices(spec, balancerSpec), actual(), undefined),
      [],
    );
  });

  it('changes type and algorithm, attaches the network, replaces a changed service and adds a missing one', () => {
    const services = desiredServices(spec, balancerSpec);
    const drifted = actual({
      type: 'lb21',
      algorithm: 'least_connections',
      services: [{ protocol: 'tcp', listenPort: 443, destinationPort: 7443, proxyProtocol: false }],
    });
    assert.deepEqual(
      propertyChanges(balancerSpec, services, drifted, 7).map((change) => change.kind),
      ['changeType', 'changeAlgorithm', 'attachToNetwork', 'deleteService', 'addService', 'addService'],
    );
  });

  it('adds missing control-plane servers and removes stale ones, privately once in a network', () => {
    const lb = actual({
      targets: [
        { type: 'server', serverId: 5, usePrivateIp: false },
        { type: 'ip', ip: '203.0.113.1' },
      ],
      privateNets: [{ networkId: 7, ip: '10.0.0.2' }],
    });
    assert.deepEqual(targetChanges(lb, [6]), [
      { kind: 'removeTarget', serverId: 5 },
      { kind: 'addTarget', serverId: 6, usePrivateIp: true },
    ]);
    assert.deepEqual(targetChanges(lb, [5]), []);
  });
});

describe('cluster infrastructure naming and endpoint', () => {
  it('selects by every owner label and maps cloud names back to spec names', () => {
    assert.equal(
      labelSelector({ 'caph-cluster-a': 'owned', 'imageurl.io/namespace': 'ns' }),
      'caph-cluster-a==owned,imageurl.io/namespace==ns',
    );
    const object = { metadata: { name: 'a' }, spec } as Parameters<typeof placementGroupSpecName>[0];
    assert.equal(placementGroupSpecName(object, 'a-md-0'), 'md-0');
  });

  it('sets the endpoint from the load balancer only where the user left it empty', () => {
    assert.deepEqual(endpointFromLoadBalancer(spec, '198.51.100.7'), { host: '198.51.100.7', port: 443 });
    assert.equal(endpointFromLoadBalancer(spec, undefined), undefined);
    const given = { ...spec, controlPlaneEndpoint: { host: 'api.example.com', port: 6443 } };
    assert.equal(endpointFromLoadBalancer(given, '198.51.100.7'), undefined);
    const noPort = { ...spec, controlPlaneEndpoint: { host: '', port: 0 } };
    assert.deepEqual(endpointFromLoadBalancer(noPort, '198.51.100.7'), { host: '198.51.100.7', port: 6443 });
  });
});
