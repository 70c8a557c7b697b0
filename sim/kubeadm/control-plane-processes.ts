import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findAsset, type AssetLookupOptions } from '../kube-control-plane/assets.js';
import { startEtcd } from '../kube-control-plane/etcd.js';
import { kubeconfigYaml } from '../kube-control-plane/kubeconfig.js';
import { httpGetStatus, outputTail, waitUntilReady } from '../kube-control-plane/readiness.js';
import type { ProcessGroup } from '../process/process-group.js';
import type { IssuedPair } from './cluster-pki.js';

/** The PEM material kubeadm keeps in /etc/kubernetes/pki, as the control plane's flags take it. */
export interface ControlPlanePem {
  readonly caCert: string;
  readonly caKey: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPublicKey: string;
  readonly apiserver: IssuedPair;
  /** Client certificate of `system:kube-controller-manager`. */
  readonly controllerManager: IssuedPair;
}

export interface ControlPlaneProcessOptions {
  readonly group: ProcessGroup;
  /** Folder for etcd's data and the PKI files (the node's /etc/kubernetes, outside its namespace). */
  readonly dir: string;
  readonly address: string;
  readonly bindPort: number;
  readonly serviceSubnet: string;
  readonly clusterName: string;
  readonly pem: ControlPlanePem;
  /** Seconds without a lease renewal after which a Node's Ready turns Unknown (kube default 50). */
  readonly nodeMonitorGracePeriodSeconds: number;
  readonly deadlineMs: number;
  readonly assets?: AssetLookupOptions;
  /** Told when a process of the control plane ends by itself, with its last output. */
  readonly onExit: (text: string) => void;
}

/**
 * kube-controller-manager's controllers here: those kubeadm's joins and Cluster API rely on
 * (CSR approving and signing, cluster-info signing, token cleanup, service-account tokens,
 * kube-root-ca.crt, namespaces, garbage collection) and node lifecycle, so a node whose lease
 * lapses turns NotReady. Controllers of workloads are off: no kubelet runs pods here.
 * Taint-based eviction is off as well (no pods to evict).
 */
export const controllers = [
  'certificatesigningrequest-approving-controller',
  'certificatesigningrequest-signing-controller',
  'certificatesigningrequest-cleaner-controller',
  'bootstrap-signer-controller',
  'token-cleaner-controller',
  'serviceaccount-token-controller',
  'serviceaccount-controller',
  'root-ca-certificate-publisher-controller',
  'namespace-controller',
  'garbage-collector-controller',
  'node-lifecycle-controller',
] as const;

/**
 * Starts the control plane kubeadm's static pods would run, as processes: etcd (on loopback,
 * private to this node), kube-apiserver at the node's address and bind port with kubeadm's
 * flags (bootstrap tokens, Node+RBAC authorization, NodeRestriction), and
 * kube-controller-manager. Resolves when the apiserver's /readyz answers 200.
 */
export async function startControlPlaneProcesses(options: ControlPlaneProcessOptions): Promise<string> {
  const { group, dir, pem } = options;
  const pki = join(dir, 'pki');
  await mkdir(pki, { recursive: true, mode: 0o700 });
  const file = async (name: string, content: string): Promise<string> => {
    const path = join(pki, name);
    await writeFile(path, content, { mode: 0o600 });
    return path;
  };
  const files = {
    ca: await file('ca.crt', pem.caCert),
    caKey: await file('ca.key', pem.caKey),
    sa: await file('sa.key', pem.serviceAccountKey),
    saPub: await file('sa.pub', pem.serviceAccountPublicKey),
    cert: await file('apiserver.crt', pem.apiserver.certPem),
    key: await file('apiserver.key', pem.apiserver.keyPem),
  };
  const etcd = await startEtcd(group, {
    binary: findAsset('etcd', options.assets),
    dataDir: join(dir, 'etcd'),
    // The node's disk: the cluster's state survives a reboot, as on a real control plane.
    keepData: true,
    deadlineMs: options.deadlineMs,
  });
  const server = `https://${options.address}:${options.bindPort}`;
  const apiserver = group.start({
    name: `kube-apiserver ${options.address}`,
    command: findAsset('kube-apiserver', options.assets),
    args: [
      `--etcd-servers=${etcd.url}`,
      `--bind-address=${options.address}`,
      `--advertise-address=${options.address}`,
      `--secure-port=${options.bindPort}`,
      `--cert-dir=${pki}`,
      `--tls-cert-file=${files.cert}`,
      `--tls-private-key-file=${files.key}`,
      `--client-ca-file=${files.ca}`,
      '--enable-bootstrap-token-auth=true',
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NodeRestriction',
      '--allow-privileged=true',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${files.saPub}`,
      `--service-account-signing-key-file=${files.sa}`,
      `--service-cluster-ip-range=${options.serviceSubnet}`,
    ],
  });
  const probe = { ca: pem.caCert, cert: pem.controllerManager.certPem, key: pem.controllerManager.keyPem };
  await waitUntilReady(apiserver, async () => (await httpGetStatus(`${server}/readyz`, probe)) === 200, {
    deadlineMs: options.deadlineMs,
    description: `the workload kube-apiserver to answer ${server}/readyz`,
  });
  const kubeconfig = join(dir, 'controller-manager.conf');
  await writeFile(
    kubeconfig,
    kubeconfigYaml({
      name: options.clusterName,
      server,
      caPem: pem.caCert,
      clientCertPem: pem.controllerManager.certPem,
      clientKeyPem: pem.controllerManager.keyPem,
    }),
    { mode: 0o600 },
  );
  const controllerManager = group.start({
    name: `kube-controller-manager ${options.address}`,
    command: findAsset('kube-controller-manager', options.assets),
    args: [
      `--kubeconfig=${kubeconfig}`,
      '--secure-port=0',
      '--leader-elect=false',
      `--cluster-name=${options.clusterName}`,
      `--controllers=${controllers.join(',')}`,
      `--cluster-signing-cert-file=${files.ca}`,
      `--cluster-signing-key-file=${files.caKey}`,
      `--root-ca-file=${files.ca}`,
      `--service-account-private-key-file=${files.sa}`,
      '--use-service-account-credentials=true',
      `--node-monitor-grace-period=${options.nodeMonitorGracePeriodSeconds}s`,
      '--node-monitor-period=2s',
    ],
  });
  for (const member of [apiserver, controllerManager])
    void member.waitForExit().then((exit) => {
      options.onExit(`${member.spec.name} exited (${exit}):\n${outputTail(member.output.text(), 15)}`);
    });
  return server;
}
