import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFieldError } from '../field-errors.js';
import type { AdmissionOperation } from '../kind-admission.js';
import { hetznerBareMetalHostAdmission } from './hetzner-bare-metal-host.js';
import { hetznerClusterAdmission } from './hetzner-cluster.js';

const spec = {
  controlPlaneRegions: ['fsn1'],
  controlPlaneEndpoint: { host: '203.0.113.10', port: 6443 },
  controlPlaneLoadBalancer: { enabled: false },
  hcloudNetwork: { enabled: false },
  sshKeys: { hcloud: [{ name: 'admin' }] },
  hetznerSecretRef: { name: 'hetzner', key: { hcloudToken: 'hcloud' } },
};

function cluster(
  overrides: Record<string, unknown>,
  annotations?: Record<string, string>,
): Record<string, unknown> {
  return {
    kind: 'HetznerCluster',
    metadata: { name: 'c', ...(annotations ? { annotations } : {}) },
    spec: { ...spec, ...overrides },
  };
}

function validate(operation: AdmissionOperation, object: unknown, oldObject?: unknown): string[] {
  return hetznerClusterAdmission
    .validate({ operation, dryRun: false, object, oldObject })
    .map(formatFieldError);
}

describe('HetznerCluster admission', () => {
  it('admits a cluster with an endpoint, one region and an hcloud token key', () => {
    assert.deepEqual(validate('CREATE', cluster({})), []);
  });

  it('rejects unknown regions and regions in different network zones', () => {
    assert.deepEqual(validate('CREATE', cluster({ controlPlaneRegions: ['fsn1', 'ash'] })), [
      'spec.controlPlaneRegions: Invalid value: ["fsn1","ash"]: regions are not in one network zone',
    ]);
    assert.match(
      validate('CREATE', cluster({ controlPlaneRegions: ['mars1'] }))[0] ?? '',
      /wrong control plane region\. Should be fsn1, nbg1, hel1, ash, hil, sin/,
    );
  });

  it('needs a control plane endpoint without a load balancer, unless the annotation allows it', () => {
    const noEndpoint = cluster({ controlPlaneEndpoint: undefined });
    assert.match(validate('CREATE', noEndpoint).join('\n'), /controlPlaneEndpoint has to be specified/);
    const allowed = cluster(
      { controlPlaneEndpoint: undefined },
      { 'capi.syself.com/allow-empty-control-plane-address': 'true' },
    );
    assert.deepEqual(validate('CREATE', allowed), []);
  });

  it('needs credentials for hcloud or Robot', () => {
    assert.deepEqual(
      validate(
        'CREATE',
        cluster({ hetznerSecretRef: { name: 'hetzner', key: { hetznerRobotUser: 'robot-user' } } }),
      ),
      [
        'spec.hetznerSecretRef.key: Invalid value: {"hetznerRobotUser":"robot-user"}: need to specify credentials for either HCloud or Hetzner robot',
      ],
    );
  });

  it('keeps network and load balancer settings immutable', () => {
    const errors = validate(
      'UPDATE',
      cluster({
        hcloudNetwork: { enabled: true },
        controlPlaneLoadBalancer: { enabled: true, region: 'fsn1' },
      }),
      cluster({}),
    );
    assert.deepEqual(errors, [
      'spec.hcloudNetwork: Invalid value: {"enabled":true}: field is immutable',
      'spec.controlPlaneLoadBalancer.enabled: Invalid value: true: field is immutable',
      'spec.controlPlaneLoadBalancer.region: Invalid value: "fsn1": field is immutable',
    ]);
  });
});

describe('HetznerBareMetalHost admission', () => {
  const host = (serverID: number): Record<string, unknown> => ({
    kind: 'HetznerBareMetalHost',
    metadata: { name: 'h' },
    spec: { serverID },
  });

  it('keeps serverID immutable', () => {
    const errors = hetznerBareMetalHostAdmission.validate({
      operation: 'UPDATE',
      dryRun: false,
      object: host(2),
      oldObject: host(1),
    });
    assert.deepEqual(errors.map(formatFieldError), [
      'spec.serverID: Invalid value: 2: serverID is immutable',
    ]);
    assert.deepEqual(
      hetznerBareMetalHostAdmission.validate({
        operation: 'UPDATE',
        dryRun: false,
        object: host(1),
        oldObject: host(1),
      }),
      [],
    );
  });
});
