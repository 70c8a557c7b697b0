import { randomBytes } from 'node:crypto';
import { newAuthorityPem, newServiceAccountKeyPem, type IssuedPair } from '../../sim/kubeadm/cluster-pki.js';

/**
 * Bootstrap data in the format Cluster API's kubeadm bootstrap provider (CABPK) v1.14.2 writes
 * (bootstrap/kubeadm/pkg/cloudinit: controlplane_init.go, node.go, files.go): the jinja header,
 * write_files with 4-space entries and 6-space content blocks, the kubeadm config documents in
 * /run/kubeadm, and runcmd running kubeadm then writing the bootstrap sentinel. The kubeadm API
 * is v1beta4 (CABPK uses it for Kubernetes >= 1.31).
 */

/** The keys a KubeadmControlPlane generates for a cluster (Secrets <cluster>-ca, -etcd, -proxy, -sa). */
export interface ClusterKeys {
  readonly ca: IssuedPair;
  readonly etcdCa: IssuedPair;
  readonly frontProxyCa: IssuedPair;
  readonly serviceAccount: { readonly keyPem: string; readonly publicPem: string };
}

export async function newClusterKeys(): Promise<ClusterKeys> {
  return {
    ca: await newAuthorityPem('kubernetes'),
    etcdCa: await newAuthorityPem('etcd-ca'),
    frontProxyCa: await newAuthorityPem('front-proxy-ca'),
    serviceAccount: newServiceAccountKeyPem(),
  };
}

/** A bootstrap token as CABPK generates it: `<6 chars>.<16 chars>` of [a-z0-9]. */
export function newBootstrapToken(): { id: string; secret: string; token: string } {
  const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const pick = (n: number): string => [...randomBytes(n)].map((b) => chars[b % chars.length]).join('');
  const id = pick(6);
  const secret = pick(16);
  return { id, secret, token: `${id}.${secret}` };
}

function indent(text: string, spaces: number): string {
  const pad = ' '.repeat(spaces);
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

function file(path: string, content: string, permissions: string): string {
  return `-   path: ${path}\n    owner: root:root\n    permissions: '${permissions}'\n    content: |\n${indent(content, 6)}\n`;
}

const placeholder =
  '-   path: /run/cluster-api/placeholder\n    owner: root:root\n    permissions: \'0640\'\n    content: "This placeholder file is used to create the /run/cluster-api sub directory in a way that is compatible with both Linux and Windows (mkdir -p /run/cluster-api does not work with Windows)"\n';

function keyFiles(keys: ClusterKeys): string {
  const pki = '/etc/kubernetes/pki';
  return [
    file(`${pki}/ca.crt`, keys.ca.certPem, '0640'),
    file(`${pki}/ca.key`, keys.ca.keyPem, '0600'),
    file(`${pki}/etcd/ca.crt`, keys.etcdCa.certPem, '0640'),
    file(`${pki}/etcd/ca.key`, keys.etcdCa.keyPem, '0600'),
    file(`${pki}/front-proxy-ca.crt`, keys.frontProxyCa.certPem, '0640'),
    file(`${pki}/front-proxy-ca.key`, keys.frontProxyCa.keyPem, '0600'),
    file(`${pki}/sa.pub`, keys.serviceAccount.publicPem, '0640'),
    file(`${pki}/sa.key`, keys.serviceAccount.keyPem, '0600'),
  ].join('');
}

const registration = `nodeRegistration:
  imagePullPolicy: IfNotPresent
  kubeletExtraArgs:
  - name: cloud-provider
    value: external
`;

/** The first control plane's data (KubeadmControlPlane → `kubeadm init`). */
export function initBootstrapData(input: { keys: ClusterKeys; controlPlaneEndpoint: string }): string {
  const clusterConfiguration = `apiServer: {}
apiVersion: kubeadm.k8s.io/v1beta4
clusterName: workload
controlPlaneEndpoint: ${input.controlPlaneEndpoint}
controllerManager: {}
dns: {}
etcd: {}
kind: ClusterConfiguration
kubernetesVersion: v1.34.4
networking:
  dnsDomain: cluster.local
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
proxy: {}
scheduler: {}
`;
  const initConfiguration = `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint: {}
${registration}`;
  const kubeadmYaml = `---\n${clusterConfiguration}---\n${initConfiguration}`;
  return `## template: jinja
#cloud-config
write_files:
${keyFiles(input.keys)}${file('/run/kubeadm/kubeadm.yaml', kubeadmYaml, '0640')}${placeholder}runcmd:
  - 'kubeadm init --config /run/kubeadm/kubeadm.yaml  && echo success > /run/cluster-api/bootstrap-success.complete'
`;
}

/** A worker's data (MachineDeployment → KubeadmConfig → `kubeadm join`). */
export function joinBootstrapData(input: {
  token: string;
  apiServerEndpoint: string;
  caCertHash: string;
}): string {
  const joinConfiguration = `apiVersion: kubeadm.k8s.io/v1beta4
caCertPath: /etc/kubernetes/pki/ca.crt
discovery:
  bootstrapToken:
    apiServerEndpoint: ${input.apiServerEndpoint}
    caCertHashes:
    - ${input.caCertHash}
    token: ${input.token}
kind: JoinConfiguration
${registration}`;
  return `## template: jinja
#cloud-config
write_files:
${file('/run/kubeadm/kubeadm-join-config.yaml', `---\n${joinConfiguration}`, '0640')}${placeholder}runcmd:
  - kubeadm join --config /run/kubeadm/kubeadm-join-config.yaml  && echo success > /run/cluster-api/bootstrap-success.complete
`;
}

/** The Secret CABPK creates in the workload cluster's kube-system for a join token. */
export function bootstrapTokenSecret(token: { id: string; secret: string }): Record<string, unknown> {
  const data: Record<string, string> = {
    'token-id': token.id,
    'token-secret': token.secret,
    expiration: new Date(Date.now() + 15 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'usage-bootstrap-signing': 'true',
    'usage-bootstrap-authentication': 'true',
    'auth-extra-groups': 'system:bootstrappers:kubeadm:default-node-token',
    description: 'token generated by cluster-api-bootstrap-provider-kubeadm',
  };
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: `bootstrap-token-${token.id}`, namespace: 'kube-system' },
    type: 'bootstrap.kubernetes.io/token',
    stringData: data,
  };
}
