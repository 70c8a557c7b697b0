import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  findClusterApiManagers,
  startClusterApiManagers,
  type ClusterApiManagers,
} from '../../sim/cluster-api/index.js';
import { MissingAssetError } from '../../sim/kube-control-plane/index.js';
import type { DemoPaths } from './demo-paths.js';
import { runScript, type DemoStack, type StackStep } from './demo-stack.js';

/**
 * Builds Cluster API's core, kubeadm bootstrap and kubeadm control-plane managers from their Go
 * module on first use (tools/envtest, as `npm run setup` does; it skips what is built already).
 */
export async function ensureClusterApiManagers(
  paths: DemoPaths,
  step: StackStep,
  signal: AbortSignal,
): Promise<void> {
  try {
    findClusterApiManagers();
    return;
  } catch (error) {
    if (!(error instanceof MissingAssetError)) throw error;
  }
  const done = step(
    "building Cluster API's managers (core, kubeadm bootstrap, kubeadm control plane) from their Go module (first run only: up to half an hour on 2 cores)",
  );
  await runScript(join(paths.root, 'tools', 'envtest', 'install.sh'), signal);
  done('built');
}

/** Starts the three managers against the demo's apiserver, their webhooks served for real. */
export async function startDemoClusterApiManagers(
  paths: DemoPaths,
  stack: DemoStack,
  options: { readonly cleanups: (() => Promise<void>)[]; readonly step: StackStep },
): Promise<ClusterApiManagers> {
  const done = options.step(
    "starting Cluster API's managers (core, kubeadm bootstrap, kubeadm control plane)",
  );
  const workDir = join(paths.work, 'cluster-api');
  await mkdir(workDir, { recursive: true });
  const managers = await startClusterApiManagers({
    kubeconfigPath: stack.controlPlane.kubeconfigPath,
    kubeConfig: stack.controlPlane.kubeConfig(),
    workDir,
    deadlineMs: 300_000,
  });
  options.cleanups.push(() => managers.stop());
  const version = findClusterApiManagers().version;
  done(`Cluster API ${version}: logs in ${workDir}/<manager>.log`);
  return managers;
}
