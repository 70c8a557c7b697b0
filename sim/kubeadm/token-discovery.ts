import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse } from 'yaml';
import { caCertHash } from './cluster-pki.js';
import { KubeadmBootstrapError } from './cloud-config.js';
import { KubeRest } from './kube-rest.js';
import { pollUntil } from './poll.js';

/** What discovery establishes: where the cluster is and which CA it is trusted with. */
export interface DiscoveredCluster {
  readonly server: string;
  readonly caPem: string;
}

export interface DiscoveryInput {
  /** `<id>.<secret>` */
  readonly token: string;
  /** `host:port` */
  readonly apiServerEndpoint: string;
  readonly caCertHashes: readonly string[];
  readonly unsafeSkipCAVerification: boolean;
  readonly deadlineMs: number;
  readonly signal: AbortSignal;
}

const tokenPattern = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const clusterInfoPath = '/api/v1/namespaces/kube-public/configmaps/cluster-info';

/**
 * kubeadm's bootstrap-token discovery: read kube-public/cluster-info anonymously without
 * trusting the server yet, accept it only when its `jws-kubeconfig-<token id>` signature
 * verifies with the token (HS256, detached payload, as the bootstrap signer makes it), pin the
 * CA it carries to one of caCertHashes, then read it again over TLS verified with that CA.
 * Retries (as kubeadm does) until the signature appears or the deadline passes.
 */
export async function discoverCluster(input: DiscoveryInput): Promise<DiscoveredCluster> {
  const match = tokenPattern.exec(input.token);
  if (match === null)
    throw new KubeadmBootstrapError('discovery.bootstrapToken.token', 'must match [a-z0-9]{6}.[a-z0-9]{16}');
  const [, tokenId = '', tokenSecret = ''] = match;
  if (input.caCertHashes.length === 0 && !input.unsafeSkipCAVerification)
    throw new KubeadmBootstrapError(
      'discovery.bootstrapToken.caCertHashes',
      'empty without unsafeSkipCAVerification',
    );
  const server = `https://${input.apiServerEndpoint}`;
  const insecure = new KubeRest({ server, trust: { insecure: true }, credentials: { anonymous: true } });
  let lastProblem = 'no answer yet';
  const kubeconfig = await pollUntil(
    async () => {
      const reply = await insecure.get(clusterInfoPath).catch((error: unknown) => {
        lastProblem = error instanceof Error ? error.message : String(error);
        return undefined;
      });
      const data = (reply?.body.data ?? {}) as Record<string, string>;
      const signature = data[`jws-kubeconfig-${tokenId}`];
      if (data.kubeconfig === undefined || signature === undefined) {
        if (reply) lastProblem = `cluster-info (HTTP ${reply.status}) has no signature for token ${tokenId}`;
        return undefined;
      }
      if (!signatureValid(signature, data.kubeconfig, tokenId, tokenSecret))
        throw new KubeadmBootstrapError(
          'discovery',
          `cluster-info's signature for token ${tokenId} does not verify`,
        );
      return data.kubeconfig;
    },
    { ...input, intervalMs: 500, description: `a signed cluster-info at ${server}` },
  ).catch((error: unknown) => {
    if (error instanceof KubeadmBootstrapError || (error as { code?: string }).code === 'NODE_STOPPED')
      throw error;
    throw new KubeadmBootstrapError('discovery', `${String(error)}; last: ${lastProblem}`.slice(0, 400));
  });
  const cluster = clusterOf(kubeconfig);
  const hash = caCertHash(cluster.caPem);
  if (!input.unsafeSkipCAVerification && !input.caCertHashes.includes(hash))
    throw new KubeadmBootstrapError(
      'discovery.bootstrapToken.caCertHashes',
      `the cluster CA's hash ${hash} is not pinned`,
    );
  const secure = new KubeRest({ server, trust: { caPem: cluster.caPem }, credentials: { anonymous: true } });
  const again = await secure.expect(secure.get(clusterInfoPath), 'cluster-info over verified TLS');
  if ((again.body.data as Record<string, string> | undefined)?.kubeconfig !== kubeconfig)
    throw new KubeadmBootstrapError(
      'discovery',
      'cluster-info changed between the insecure and the verified read',
    );
  return cluster;
}

/** A detached JWS `header..signature` over `payload`, HS256 with the token secret as key. */
export function signatureValid(jws: string, payload: string, tokenId: string, secret: string): boolean {
  const [header = '', empty, signature = ''] = jws.split('.');
  if (empty !== '' || jws.split('.').length !== 3) return false;
  let parsed: { alg?: unknown; kid?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as typeof parsed;
  } catch {
    return false;
  }
  if (parsed.alg !== 'HS256' || parsed.kid !== tokenId) return false;
  const expected = createHmac('sha256', secret)
    .update(`${header}.${Buffer.from(payload).toString('base64url')}`)
    .digest();
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function clusterOf(kubeconfig: string): DiscoveredCluster {
  const config = parse(kubeconfig) as { clusters?: { cluster?: Record<string, string> }[] } | null;
  const cluster = config?.clusters?.[0]?.cluster;
  const ca = cluster?.['certificate-authority-data'];
  if (cluster?.server === undefined || ca === undefined)
    throw new KubeadmBootstrapError('discovery', 'cluster-info names no server or CA');
  return { server: cluster.server, caPem: Buffer.from(ca, 'base64').toString('utf8') };
}
