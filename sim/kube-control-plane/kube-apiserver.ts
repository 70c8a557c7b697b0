import { freePort } from '../process/free-port.js';
import type { ProcessGroup } from '../process/process-group.js';
import type { SupervisedProcess } from '../process/supervised-process.js';
import type { ControlPlanePki } from './pki.js';
import { httpGetStatus, retryOnPortCollision, waitUntilReady } from './readiness.js';

export interface KubeApiserverOptions {
  readonly binary: string;
  readonly etcdUrl: string;
  readonly pki: ControlPlanePki;
  /** --cert-dir; the serving certificate is passed explicitly, so nothing is generated there. */
  readonly certDir: string;
  readonly deadlineMs: number;
  /** Write an audit log: which requests are recorded (an audit.k8s.io Policy file) and where to. */
  readonly audit?: KubeApiserverAudit;
}

export interface KubeApiserverAudit {
  readonly policyFile: string;
  /** JSON lines, one audit event each; written before each response (the log backend blocks). */
  readonly logPath: string;
}

export interface RunningKubeApiserver {
  readonly process: SupervisedProcess;
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
}

const HOST = '127.0.0.1';

/**
 * The flags controller-runtime's envtest uses (`pkg/internal/testing/controlplane/apiserver.go`),
 * with client-certificate authentication.
 */
export function kubeApiserverArgs(options: KubeApiserverOptions, port: number): string[] {
  const files = options.pki.files;
  return [
    `--etcd-servers=${options.etcdUrl}`,
    `--bind-address=${HOST}`,
    `--advertise-address=${HOST}`,
    `--secure-port=${port}`,
    `--cert-dir=${options.certDir}`,
    `--tls-cert-file=${files.servingCert}`,
    `--tls-private-key-file=${files.servingKey}`,
    `--client-ca-file=${files.clientCa}`,
    `--service-account-issuer=https://${HOST}:${port}/`,
    `--service-account-key-file=${files.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${files.serviceAccountPrivateKey}`,
    '--service-cluster-ip-range=10.0.0.0/24',
    '--authorization-mode=RBAC',
    '--disable-admission-plugins=ServiceAccount',
    '--allow-privileged=true',
    ...(options.audit
      ? [
          `--audit-policy-file=${options.audit.policyFile}`,
          `--audit-log-path=${options.audit.logPath}`,
          '--audit-log-format=json',
          '--audit-log-mode=blocking',
        ]
      : []),
  ];
}

async function attempt(group: ProcessGroup, options: KubeApiserverOptions): Promise<RunningKubeApiserver> {
  const port = await freePort(HOST);
  const server = `https://${HOST}:${port}`;
  const member = group.start({
    name: 'kube-apiserver',
    command: options.binary,
    args: kubeApiserverArgs(options, port),
  });
  const tls = { ca: options.pki.servingCaPem, cert: options.pki.adminCertPem, key: options.pki.adminKeyPem };
  try {
    await waitUntilReady(member, async () => (await httpGetStatus(`${server}/readyz`, tls)) === 200, {
      deadlineMs: options.deadlineMs,
      description: `kube-apiserver to answer ${server}/readyz with 200`,
    });
  } catch (error) {
    await group.stopMember(member);
    throw error;
  }
  return { process: member, server };
}

/**
 * Starts kube-apiserver on a free loopback port against `etcdUrl` and waits until /readyz,
 * asked with the admin client certificate, answers 200 (one retry on a port collision).
 */
export async function startKubeApiserver(
  group: ProcessGroup,
  options: KubeApiserverOptions,
): Promise<RunningKubeApiserver> {
  return retryOnPortCollision(() => attempt(group, options));
}
