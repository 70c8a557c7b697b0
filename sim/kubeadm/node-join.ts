import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeadmCloudConfig } from './cloud-config.js';
import { issue, type IssuedPair } from './cluster-pki.js';
import { clusterAuthority } from './init-node.js';
import type { JoinPlan } from './kubeadm-config.js';
import { bootstrapNodeCredentials } from './tls-bootstrap.js';
import { discoverCluster } from './token-discovery.js';

export interface JoinInput {
  readonly plan: JoinPlan;
  readonly config: KubeadmCloudConfig;
  readonly nodeName: string;
  /** The node's own folder (its disk): the kubelet keeps its certificate there. */
  readonly dir: string;
  readonly deadlineMs: number;
  readonly signal: AbortSignal;
  readonly log: (line: string) => void;
}

export interface JoinedNode {
  readonly server: string;
  readonly caPem: string;
  readonly nodeCredentials: IssuedPair;
  /** Set on control-plane joins: system:masters from the cluster CA, for kubeadm's phases. */
  readonly superAdmin: IssuedPair | undefined;
}

interface KubeletConfig {
  readonly server: string;
  readonly caPem: string;
  readonly certPem: string;
  readonly keyPem: string;
}

/**
 * `kubeadm join`, once per node: discovery with the bootstrap token and the kubelet's TLS
 * bootstrap; the certificate is kept (the kubelet's kubelet.conf), so after a reboot the node
 * comes back with it, as a real kubelet does, without the (maybe expired) token.
 */
export async function joinCluster(input: JoinInput): Promise<JoinedNode> {
  const { plan, signal } = input;
  const path = join(input.dir, 'kubelet.json');
  const kept = await readFile(path, 'utf8').then(
    (text) => JSON.parse(text) as KubeletConfig,
    () => undefined,
  );
  let kubelet: KubeletConfig;
  if (kept !== undefined) {
    kubelet = kept;
    input.log(`kubelet credentials kept from an earlier boot; ${kept.server}`);
  } else {
    const { server, caPem } = await discoverCluster({ ...plan, deadlineMs: input.deadlineMs, signal });
    input.log(`discovered ${server} with token ${plan.token.split('.')[0] ?? ''}`);
    const credentials = await bootstrapNodeCredentials({
      server,
      caPem,
      token: plan.token,
      nodeName: input.nodeName,
      deadlineMs: input.deadlineMs,
      signal,
    });
    kubelet = { server, caPem, ...credentials };
    await writeFile(path, JSON.stringify(kubelet), { mode: 0o600 });
  }
  const superAdmin = plan.controlPlane
    ? await issue(await clusterAuthority(input.config), {
        subject: 'CN=kubernetes-super-admin, O=system:masters',
        usage: 'client',
      })
    : undefined;
  return {
    server: kubelet.server,
    caPem: kubelet.caPem,
    nodeCredentials: { certPem: kubelet.certPem, keyPem: kubelet.keyPem },
    superAdmin,
  };
}
