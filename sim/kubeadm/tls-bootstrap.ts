import { certificateRequest, type IssuedPair } from './cluster-pki.js';
import { KubeadmBootstrapError } from './cloud-config.js';
import { KubeRest } from './kube-rest.js';
import { pollUntil } from './poll.js';

export interface TlsBootstrapInput {
  readonly server: string;
  readonly caPem: string;
  /** The bootstrap token, `<id>.<secret>`: the only credential the kubelet starts with. */
  readonly token: string;
  readonly nodeName: string;
  readonly deadlineMs: number;
  readonly signal: AbortSignal;
}

const csrPath = '/apis/certificates.k8s.io/v1/certificatesigningrequests';

/**
 * The kubelet's TLS bootstrap: authenticated by the bootstrap token, it asks for a client
 * certificate (signer kubernetes.io/kube-apiserver-client-kubelet, CN system:node:<name>,
 * O system:nodes) and waits until kube-controller-manager approved (kubeadm's auto-approve
 * binding) and signed it. The result is the node's only credential from then on.
 */
export async function bootstrapNodeCredentials(input: TlsBootstrapInput): Promise<IssuedPair> {
  const client = new KubeRest({
    server: input.server,
    trust: { caPem: input.caPem },
    credentials: { token: input.token },
  });
  const { csrPem, keyPem } = await certificateRequest(`CN=system:node:${input.nodeName}, O=system:nodes`);
  const created = await client.expect(
    client.post(csrPath, {
      apiVersion: 'certificates.k8s.io/v1',
      kind: 'CertificateSigningRequest',
      metadata: { generateName: 'csr-' },
      spec: {
        request: Buffer.from(csrPem).toString('base64'),
        signerName: 'kubernetes.io/kube-apiserver-client-kubelet',
        usages: ['digital signature', 'client auth'],
      },
    }),
    'create the node client CertificateSigningRequest',
  );
  const name = (created.body.metadata as { name?: string } | undefined)?.name ?? '';
  const certificate = await pollUntil(
    async () => {
      const reply = await client.get(`${csrPath}/${name}`).catch(() => undefined);
      const status = (reply?.body.status ?? {}) as {
        certificate?: string;
        conditions?: { type: string; message?: string }[];
      };
      const refused = status.conditions?.find((c) => c.type === 'Denied' || c.type === 'Failed');
      if (refused)
        throw new KubeadmBootstrapError(
          'tls-bootstrap',
          `CSR ${name} ${refused.type}: ${refused.message ?? ''}`,
        );
      return status.certificate;
    },
    { ...input, intervalMs: 250, description: `CSR ${name} to be approved and signed` },
  );
  return { certPem: Buffer.from(certificate, 'base64').toString('utf8'), keyPem };
}
