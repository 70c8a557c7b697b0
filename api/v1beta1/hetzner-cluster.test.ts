import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { examples } from './examples.js';
import { HetznerClusterSchema, HetznerClusterStatusSchema } from './hetzner-cluster.js';

type Spec = Record<string, unknown>;
const cluster = (spec: Spec): unknown => ({
  ...examples.hetznerCluster,
  spec: { ...examples.hetznerCluster.spec, ...spec },
});

function issuePaths(input: unknown): string[] {
  const result = HetznerClusterSchema.safeParse(input);
  assert.equal(result.success, false, 'the schema accepted the object');
  return result.error.issues.map((issue) => issue.path.map(String).join('.')).sort();
}

describe('HetznerCluster schema', () => {
  it('applies CAPH’s defaults to CAPH’s cluster template', () => {
    const { spec } = HetznerClusterSchema.parse(examples.hetznerCluster);
    assert.deepEqual(spec.hetznerSecretRef, {
      name: 'hcloud',
      key: {
        hcloudToken: 'hcloud',
        hetznerRobotUser: 'robot-user',
        hetznerRobotPassword: 'robot-password',
        sshKey: 'hcloud-ssh-key-name',
      },
    });
    assert.deepEqual(spec.hcloudNetwork, {
      enabled: false,
      cidrBlock: '10.0.0.0/16',
      subnetCidrBlock: '10.0.0.0/24',
      networkZone: 'eu-central',
    });
    assert.deepEqual(spec.controlPlaneLoadBalancer, {
      enabled: true,
      algorithm: 'round_robin',
      type: 'lb11',
      port: 6443,
      region: 'fsn1',
    });
  });

  it('defaults the secret name, placement group types and key names', () => {
    const { spec } = HetznerClusterSchema.parse(
      cluster({
        hetznerSecretRef: { key: { hcloudToken: 'token' } },
        hcloudPlacementGroups: [{ name: 'control-plane' }, { name: 'md-0', type: 'spread' }],
      }),
    );
    assert.equal(spec.hetznerSecretRef.name, 'hetzner');
    assert.equal(spec.hetznerSecretRef.key.hetznerRobotUser, 'hetzner-robot-user');
    assert.deepEqual(spec.hcloudPlacementGroups, [
      { name: 'control-plane', type: 'spread' },
      { name: 'md-0', type: 'spread' },
    ]);
  });

  it('requires the regions, SSH keys, the secret and its token key', () => {
    assert.deepEqual(issuePaths(cluster({ controlPlaneRegions: undefined, sshKeys: undefined })), [
      'spec.controlPlaneRegions',
      'spec.sshKeys',
    ]);
    assert.deepEqual(issuePaths(cluster({ hetznerSecretRef: { name: 'x', key: {} } })), [
      'spec.hetznerSecretRef.key.hcloudToken',
    ]);
    const rescue = { robotRescueSecretRef: { name: 'robot-ssh', key: { name: 'n' } } };
    assert.deepEqual(issuePaths(cluster({ sshKeys: rescue })), [
      'spec.sshKeys.robotRescueSecretRef.key.privateKey',
      'spec.sshKeys.robotRescueSecretRef.key.publicKey',
    ]);
  });

  it('rejects values outside CAPH’s enums and ranges', () => {
    const loadBalancer = {
      algorithm: 'random',
      type: 'lb99',
      port: 0,
      extraServices: [{ listenPort: 65536 }],
    };
    assert.deepEqual(
      issuePaths(
        cluster({
          controlPlaneRegions: ['fsn9'],
          controlPlaneLoadBalancer: loadBalancer,
          hcloudNetwork: { enabled: true, networkZone: 'eu-west' },
          hcloudPlacementGroups: [{ name: 'x', type: 'pack' }],
        }),
      ),
      [
        'spec.controlPlaneLoadBalancer.algorithm',
        'spec.controlPlaneLoadBalancer.extraServices.0.listenPort',
        'spec.controlPlaneLoadBalancer.port',
        'spec.controlPlaneLoadBalancer.type',
        'spec.controlPlaneRegions.0',
        'spec.hcloudNetwork.networkZone',
        'spec.hcloudPlacementGroups.0.type',
      ],
    );
  });

  it('takes registry hosts as host or host:port only, and defaults the Secret key', () => {
    const auth = (hosts: string[]): unknown =>
      cluster({ ociRegistryAuth: { secretRef: { name: 'registry' }, hosts } });
    const parsed = HetznerClusterSchema.parse(auth(['ghcr.io', 'registry.internal:5000', '[::1]:5000']));
    assert.equal(parsed.spec.ociRegistryAuth?.secretRef.key, 'OCI_REGISTRY_AUTH_TOKEN');
    assert.deepEqual(
      issuePaths(auth(['https://ghcr.io', 'ghcr.io/org', 'user@ghcr.io', 'ghcr.io:', ' ghcr.io'])),
      [0, 1, 2, 3, 4].map((index) => `spec.ociRegistryAuth.hosts.${index}`),
    );
    assert.deepEqual(issuePaths(auth([])), ['spec.ociRegistryAuth.hosts']);
  });

  it('defaults status.ready to false and keeps the cluster controller’s status', () => {
    assert.deepEqual(HetznerClusterStatusSchema.parse({}), { ready: false });
    const status = {
      ready: true,
      networkStatus: { id: 42, attachedServers: [1, 2] },
      controlPlaneLoadBalancer: { id: 7, ipv4: '192.0.2.7', targets: [{ type: 'server', serverID: 1 }] },
      hcloudPlacementGroups: [{ id: 3, servers: [1], name: 'cp', type: 'spread' }],
      failureDomains: { fsn1: { controlPlane: true } },
    };
    assert.deepEqual(HetznerClusterStatusSchema.parse(status), status);
  });
});
