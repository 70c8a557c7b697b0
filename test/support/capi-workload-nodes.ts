// What a Cluster API cluster needs to get real Nodes here: an image-url-command that installs the
// simulated OS with the machine's bootstrap data (so kubeadm's init/join run, sim/kubeadm), and a
// look into the workload cluster through the kubeconfig Secret KubeadmControlPlane wrote.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findAsset } from '../../sim/kube-control-plane/assets.js';
import { buildTestImage } from '../../sim/os-image/build-image.js';
import type { KubeObject } from '../../src/kube/index.js';
import type { CapiEnv } from './capi-controllers.js';
import { kinds, listIn } from './capi-cluster-objects.js';
import { eventually } from './kube-runtime-fixtures.js';
import { listWorkloadNodes } from '../../sim/cluster-api/workload-nodes.js';

/** The image-url-command that installs a bootable node. */
export const NODE_COMMAND = 'image-url-command-node';
/**
 * The same for dedicated servers, which also get their host name: a real command writes it into
 * cloud-init's NoCloud meta-data (`local-hostname`, commands/image-url-command-oci-disk) and the
 * controller checks it over SSH; the simulated OS reads a host name only from the bootstrap
 * data's `hostname` (docs/sim-os-image.md), so this command adds it there.
 */
export const BARE_METAL_NODE_COMMAND = 'image-url-command-node-metal';

export interface NodeInstaller {
  /** The next install fails (no IMAGE_URL_DONE), once. */
  failNextInstall(): Promise<void>;
}

/**
 * Builds the simulated OS image in the scratch space the rescue systems see and installs
 * NODE_COMMAND: it copies that image onto the root device and the bootstrap data into its region
 * (docs/sim-os-image.md), as a real command streams a node image and writes cloud-init's data.
 */
export async function installNodeCommand(env: CapiEnv): Promise<NodeInstaller> {
  // The installed OS lets the rescue key in: bare-metal machines' sshSpec logs in with it.
  const image = await buildTestImage({
    path: join(env.workDir, 'node.img'),
    authorizedKeys: [env.rescueKey.publicKey],
  });
  const offsetMiB = image.descriptor.bootstrapData.offset / (1024 * 1024);
  const failMarker = join(env.workDir, 'fail-next-install');
  // Paths are the test's own scratch folder (no user data); `rm` decides atomically who fails.
  const script = (bootstrapFile: string, prepare: readonly string[]): string =>
    [
      '#!/bin/bash',
      'set -euo pipefail',
      `if rm '${failMarker}' 2>/dev/null; then echo 'disk write failed' >&2; exit 1; fi`,
      ...prepare,
      `dd if='${image.path}' of="/dev/$4" bs=1M conv=fsync status=none`,
      `dd if=${bootstrapFile} of="/dev/$4" bs=1M seek=${String(offsetMiB)} conv=notrunc,fsync status=none`,
      'echo IMAGE_URL_DONE',
      '',
    ].join('\n');
  await env.writeCommand(NODE_COMMAND, script('/root/bootstrap.data', []));
  await env.writeCommand(
    BARE_METAL_NODE_COMMAND,
    script('/root/bootstrap.named', [
      // $3 is the host name; only an RFC 1123 label goes into the data.
      `[[ $3 =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] || { echo "bad host name" >&2; exit 1; }`,
      `awk -v name="$3" '{ print } /^#cloud-config/ && !done { print "hostname: " name; done = 1 }' "$2" > /root/bootstrap.named`,
    ]),
  );
  return { failNextInstall: () => writeFile(failMarker, '') };
}

/** A workload cluster's Node, as the tests read it (no providerID: not set yet). */
export interface WorkloadNode {
  readonly name: string;
  readonly providerID?: string;
  readonly ready: boolean;
}

/**
 * `kubectl get nodes` in the workload cluster, with the kubeconfig from `<cluster>-kubeconfig`
 * (the Secret KubeadmControlPlane writes, as `clusterctl get kubeconfig` reads it).
 */
export async function workloadNodes(
  env: CapiEnv,
  namespace: string,
  cluster: string,
): Promise<WorkloadNode[]> {
  const secret = await env.api.client.get<KubeObject & { data?: Record<string, string> }>(
    kinds.secret,
    namespace,
    `${cluster}-kubeconfig`,
  );
  const { nodes } = await listWorkloadNodes({
    kubectl: findAsset('kubectl'),
    kubeconfig: Buffer.from(secret.data?.['value'] ?? '', 'base64'),
    dir: env.workDir,
    cluster,
  });
  return nodes.map(({ name, ready, providerID }) => ({
    name,
    ready,
    ...(providerID === '' ? {} : { providerID }),
  }));
}

/** What the settling wait reads of a Cluster API Machine. */
export interface SettlingMachine extends KubeObject {
  spec: { providerID?: string };
  status?: { phase?: string; nodeRef?: { name?: string } };
}

/**
 * Waits until the cluster has one control plane and `workers` workers of the MachineDeployment
 * `deployment`, each Machine Running with a nodeRef and none being deleted, and the workload
 * cluster's Nodes are exactly theirs (by providerID), all Ready; returns the Machines.
 */
export async function clusterSettlesAt<M extends SettlingMachine>(
  env: CapiEnv,
  o: { namespace: string; cluster: string; deployment: string; workers: number; deadlineMs: number },
): Promise<M[]> {
  const machines = (selector?: string): Promise<M[]> => listIn<M>(env, kinds.machine, o.namespace, selector);
  let settled: M[] = [];
  await eventually(
    `1 control plane and ${o.workers} workers Running with Nodes`,
    async () => {
      const all = await machines();
      const workerCount = (await machines(`cluster.x-k8s.io/deployment-name=${o.deployment}`)).length;
      settled = all;
      return (
        all.length === o.workers + 1 &&
        workerCount === o.workers &&
        all.every(
          (m) =>
            m.metadata.deletionTimestamp === undefined &&
            m.status?.phase === 'Running' &&
            m.status.nodeRef?.name !== undefined,
        )
      );
    },
    o.deadlineMs,
  );
  const providerIDs = JSON.stringify(settled.map((m) => m.spec.providerID ?? '').sort());
  await eventually(
    'the workload cluster has exactly the Machines’ Nodes, all Ready',
    async () => {
      const nodes = await workloadNodes(env, o.namespace, o.cluster);
      const ids = nodes.map((n) => n.providerID ?? '').sort();
      return JSON.stringify(ids) === providerIDs && nodes.every((n) => n.ready);
    },
    o.deadlineMs,
  );
  return settled;
}
