import { isIP } from 'node:net';
import type { AssetLookupOptions } from '../kube-control-plane/assets.js';
import type { ProcessGroup } from '../process/process-group.js';
import { fileText, KubeadmBootstrapError, type KubeadmCloudConfig } from './cloud-config.js';
import { issue, loadAuthority, type Authority, type IssuedPair } from './cluster-pki.js';
import { startControlPlaneProcesses } from './control-plane-processes.js';
import { clusterBinding, createInitObjects } from './init-phases.js';
import type { InitPlan } from './kubeadm-config.js';
import { KubeRest } from './kube-rest.js';

/** Where kubeadm (and Cluster API's write_files) keep the cluster's keys. */
const PKI = '/etc/kubernetes/pki';

/** The identity the cloud controller stand-in acts as (bound to cluster-admin, as hcloud's manifest does). */
export const CLOUD_CONTROLLER_USER = 'system:cloud-controller-manager';

export interface InitInput {
  readonly plan: InitPlan;
  readonly config: KubeadmCloudConfig;
  readonly nodeName: string;
  readonly address: string;
  readonly group: ProcessGroup;
  readonly dir: string;
  readonly nodeMonitorGracePeriodSeconds: number;
  readonly deadlineMs: number;
  readonly assets?: AssetLookupOptions;
  readonly log: (line: string) => void;
}

export interface InitializedCluster {
  readonly server: string;
  readonly caPem: string;
  readonly authority: Authority;
  /** system:masters, for kubeadm's own phases (kubeadm's super-admin.conf). */
  readonly superAdmin: IssuedPair;
}

/** The cluster CA from the bootstrap data's write_files (Cluster API puts it there). */
export async function clusterAuthority(config: KubeadmCloudConfig): Promise<Authority> {
  const cert = fileText(config, `${PKI}/ca.crt`);
  const key = fileText(config, `${PKI}/ca.key`);
  if (cert === undefined || key === undefined)
    throw new KubeadmBootstrapError(
      'write_files',
      `${PKI}/ca.crt and ${PKI}/ca.key are required on a control plane`,
    );
  return loadAuthority(cert, key);
}

/**
 * `kubeadm init` at the API level: the apiserver's serving certificate from the cluster CA
 * (SANs: the control-plane endpoint, the node's name and address, the kubernetes Service names
 * and IP), etcd + kube-apiserver + kube-controller-manager started, then init's API objects.
 */
export async function initControlPlane(input: InitInput): Promise<InitializedCluster> {
  const { plan, config } = input;
  const authority = await clusterAuthority(config);
  const saKey = fileText(config, `${PKI}/sa.key`);
  const saPub = fileText(config, `${PKI}/sa.pub`);
  if (saKey === undefined || saPub === undefined)
    throw new KubeadmBootstrapError(
      'write_files',
      `${PKI}/sa.key and ${PKI}/sa.pub are required on a control plane`,
    );
  const endpoint = plan.controlPlaneEndpoint ?? { host: input.address, port: plan.bindPort };
  const hosts = [endpoint.host, input.address];
  const apiserver = await issue(authority, {
    subject: 'CN=kube-apiserver',
    usage: 'server',
    dnsNames: [
      input.nodeName,
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      ...hosts.filter((host) => isIP(host) === 0),
    ],
    ips: [...new Set([serviceIp(plan.serviceSubnet), ...hosts.filter((host) => isIP(host) !== 0)])],
  });
  const controllerManager = await issue(authority, {
    subject: 'CN=system:kube-controller-manager',
    usage: 'client',
  });
  const server = await startControlPlaneProcesses({
    group: input.group,
    dir: input.dir,
    address: input.address,
    bindPort: plan.bindPort,
    serviceSubnet: plan.serviceSubnet,
    clusterName: plan.clusterName,
    pem: {
      caCert: authority.certPem,
      caKey: fileText(config, `${PKI}/ca.key`) ?? '',
      serviceAccountKey: saKey,
      serviceAccountPublicKey: saPub,
      apiserver,
      controllerManager,
    },
    nodeMonitorGracePeriodSeconds: input.nodeMonitorGracePeriodSeconds,
    deadlineMs: input.deadlineMs,
    ...(input.assets ? { assets: input.assets } : {}),
    onExit: input.log,
  });
  const superAdmin = await issue(authority, {
    subject: 'CN=kubernetes-super-admin, O=system:masters',
    usage: 'client',
  });
  const client = new KubeRest({ server, trust: { caPem: authority.certPem }, credentials: superAdmin });
  await createInitObjects(client, {
    clusterConfigurationYaml: plan.clusterConfigurationYaml,
    caPem: authority.certPem,
    endpoint: `https://${hostPortText(endpoint.host, endpoint.port)}`,
  });
  const [path, binding] = clusterBinding(
    CLOUD_CONTROLLER_USER,
    'cluster-admin',
    `user:${CLOUD_CONTROLLER_USER}`,
  );
  await client.expect(client.post(path, binding), 'bind the cloud controller', [409]);
  return { server, caPem: authority.certPem, authority, superAdmin };
}

/** The first address of the service range: the `kubernetes` Service's ClusterIP. */
export function serviceIp(subnet: string): string {
  const base = subnet.split('/')[0] ?? '10.96.0.0';
  const parts = base.split('.').map(Number);
  parts[3] = (parts[3] ?? 0) + 1;
  return parts.join('.');
}

export function hostPortText(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}
