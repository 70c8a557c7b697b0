import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it, before } from 'node:test';
import {
  initBootstrapData,
  joinBootstrapData,
  newClusterKeys,
  type ClusterKeys,
} from '../../test/support/kubeadm-bootstrap-data.js';
import { parseKubeadmCloudConfig, fileText, KubeadmBootstrapError } from './cloud-config.js';
import { caCertHash } from './cluster-pki.js';
import { hostPort, kubeadmPlan } from './kubeadm-config.js';
import { nodeNameFor, registrationTaints } from './node-registration.js';
import { signatureValid } from './token-discovery.js';

describe('kubeadm bootstrap data (Cluster API kubeadm bootstrap format)', () => {
  let keys: ClusterKeys;
  before(async () => {
    keys = await newClusterKeys();
  });

  it('reads an init cloud-config: the CA files, the endpoint, the external cloud provider', () => {
    const config = parseKubeadmCloudConfig(
      initBootstrapData({ keys, controlPlaneEndpoint: '198.51.100.7:443' }),
    );
    assert.ok(config);
    assert.equal(config.command, 'init');
    assert.equal(fileText(config, '/etc/kubernetes/pki/ca.crt'), keys.ca.certPem.replace(/\n$/, '') + '\n');
    const plan = kubeadmPlan(config);
    assert.equal(plan.command, 'init');
    assert.deepEqual(plan.controlPlaneEndpoint, { host: '198.51.100.7', port: 443 });
    assert.equal(plan.bindPort, 6443);
    assert.equal(plan.serviceSubnet, '10.96.0.0/12');
    assert.equal(plan.clusterName, 'workload');
    assert.deepEqual(plan.registration.kubeletExtraArgs, { 'cloud-provider': 'external' });
    assert.match(plan.clusterConfigurationYaml, /kind: ClusterConfiguration/);
  });

  it('reads a join cloud-config: token discovery with the CA pin', () => {
    const hash = caCertHash(keys.ca.certPem);
    const config = parseKubeadmCloudConfig(
      joinBootstrapData({
        token: 'abcdef.0123456789abcdef',
        apiServerEndpoint: '198.51.100.7:6443',
        caCertHash: hash,
      }),
    );
    assert.ok(config);
    const plan = kubeadmPlan(config);
    assert.equal(plan.command, 'join');
    assert.equal(plan.token, 'abcdef.0123456789abcdef');
    assert.equal(plan.apiServerEndpoint, '198.51.100.7:6443');
    assert.deepEqual(plan.caCertHashes, [hash]);
    assert.equal(plan.controlPlane, false);
  });

  it('takes v1beta3 kubeletExtraArgs maps, base64 files and controlPlane joins', () => {
    const join = Buffer.from(
      'apiVersion: kubeadm.k8s.io/v1beta3\nkind: JoinConfiguration\ncontrolPlane:\n  localAPIEndpoint:\n    bindPort: 7443\n' +
        'discovery:\n  bootstrapToken:\n    token: abcdef.0123456789abcdef\n    apiServerEndpoint: lb:443\n    unsafeSkipCAVerification: true\n' +
        'nodeRegistration:\n  name: "{{ ds.meta_data.hostname }}"\n  kubeletExtraArgs:\n    provider-id: hcloud://42\n  taints: []\n',
    ).toString('base64');
    const data = `#cloud-config\nwrite_files:\n- path: /run/kubeadm/kubeadm-join-config.yaml\n  encoding: b64\n  content: ${join}\nruncmd:\n- [sh, -c, "kubeadm join --config=/run/kubeadm/kubeadm-join-config.yaml"]\n`;
    const config = parseKubeadmCloudConfig(data);
    assert.ok(config);
    const plan = kubeadmPlan(config);
    assert.equal(plan.command, 'join');
    assert.equal(plan.controlPlane, true);
    assert.equal(plan.bindPort, 7443);
    assert.equal(plan.unsafeSkipCAVerification, true);
    assert.deepEqual(plan.registration.kubeletExtraArgs, { 'provider-id': 'hcloud://42' });
    assert.deepEqual(registrationTaints(plan.registration, true), []);
    const context = { bootstrapData: data, hostname: 'localhost', instance: { name: 'Web-1', id: '42' } };
    assert.equal(nodeNameFor(plan.registration, context), 'web-1');
  });

  it('leaves other bootstrap data alone and names what is wrong in kubeadm data', () => {
    assert.equal(parseKubeadmCloudConfig('#cloud-config\nhostname: plain\n'), undefined);
    assert.equal(parseKubeadmCloudConfig('#!/bin/sh\nkubeadm init\n'), undefined);
    assert.throws(
      () =>
        parseKubeadmCloudConfig(
          '#cloud-config\nruncmd:\n- kubeadm init --config /run/kubeadm/kubeadm.yaml\n',
        ),
      (error: unknown) =>
        error instanceof KubeadmBootstrapError && /no file \/run\/kubeadm\/kubeadm.yaml/.test(error.message),
    );
    assert.throws(
      () => hostPort('[::1', 'controlPlaneEndpoint'),
      /controlPlaneEndpoint: "\[::1" is not host:port/,
    );
  });

  it('names the node after the bootstrap hostname, else the server, and adds kubeadm’s default taints', () => {
    const registration = {
      name: undefined,
      taints: undefined,
      kubeletExtraArgs: { 'cloud-provider': 'external' },
    };
    const instance = { name: 'cp-0', id: '7' };
    assert.equal(
      nodeNameFor(registration, { bootstrapData: '#cloud-config\n', hostname: 'localhost', instance }),
      'cp-0',
    );
    assert.equal(
      nodeNameFor(registration, {
        bootstrapData: '#cloud-config\nhostname: named\n',
        hostname: 'named',
        instance,
      }),
      'named',
    );
    assert.deepEqual(
      registrationTaints(registration, true).map((t) => t.key),
      ['node-role.kubernetes.io/control-plane', 'node.cloudprovider.kubernetes.io/uninitialized'],
    );
    assert.throws(
      () =>
        nodeNameFor({ ...registration, name: 'bad_name' }, { bootstrapData: '', hostname: 'h', instance }),
      /nodeRegistration.name: "bad_name" is not a valid node name/,
    );
  });

  it('verifies cluster-info signatures as the bootstrap signer makes them (HS256, detached)', () => {
    const payload = 'apiVersion: v1\nkind: Config\n';
    const header = Buffer.from(JSON.stringify({ alg: 'HS256', kid: 'abcdef' })).toString('base64url');
    const sign = (secret: string): string =>
      createHmac('sha256', secret)
        .update(`${header}.${Buffer.from(payload).toString('base64url')}`)
        .digest('base64url');
    const jws = `${header}..${sign('0123456789abcdef')}`;
    assert.equal(signatureValid(jws, payload, 'abcdef', '0123456789abcdef'), true);
    assert.equal(signatureValid(jws, payload, 'abcdef', 'fedcba9876543210'), false);
    assert.equal(signatureValid(jws, `${payload}x`, 'abcdef', '0123456789abcdef'), false);
    assert.equal(signatureValid(jws, payload, 'zzzzzz', '0123456789abcdef'), false);
  });
});
