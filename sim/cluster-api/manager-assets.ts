import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import { MissingAssetError, type AssetLookupOptions } from '../kube-control-plane/assets.js';
import { envtestVersions, findRepoRoot } from '../kube-control-plane/envtest-versions.js';

/** The three managers Cluster API ships, by the provider label clusterctl gives them. */
export type ManagerName = 'cluster-api' | 'bootstrap-kubeadm' | 'control-plane-kubeadm';
export const MANAGER_NAMES: readonly ManagerName[] = [
  'cluster-api',
  'bootstrap-kubeadm',
  'control-plane-kubeadm',
];

/** One manager: its binary and the rendered components (CRDs, webhook configurations) it serves. */
export interface ManagerAssets {
  readonly name: ManagerName;
  readonly binary: string;
  readonly components: string;
}

/** What tools/envtest/cluster-api-managers.sh and clusterctl.sh leave in `.cache/envtest/cluster-api-<v>`. */
export interface ClusterApiManagerAssets {
  /** The pinned Cluster API release, e.g. `v1.14.2`. */
  readonly version: string;
  readonly managers: readonly ManagerAssets[];
}

const LAYOUT: Record<ManagerName, { readonly binary: string; readonly components: string }> = {
  'cluster-api': { binary: 'cluster-api-manager', components: 'core-components.yaml' },
  'bootstrap-kubeadm': { binary: 'kubeadm-bootstrap-manager', components: 'bootstrap-components.yaml' },
  'control-plane-kubeadm': {
    binary: 'kubeadm-control-plane-manager',
    components: 'control-plane-components.yaml',
  },
};

function usable(path: string, executable: boolean): boolean {
  try {
    if (executable) accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Cluster API's managers and their components from `IMAGEURL_CLUSTERCTL_DIR` (as the scripts take
 * it) or the repository's `.cache/envtest/cluster-api-<pinned version>`; a MissingAssetError
 * names what is missing and how to build it.
 */
export function findClusterApiManagers(options: AssetLookupOptions = {}): ClusterApiManagerAssets {
  const env = options.env ?? process.env;
  const repoRoot = 'repoRoot' in options ? options.repoRoot : findRepoRoot();
  const pinned = (repoRoot === undefined ? undefined : envtestVersions(repoRoot).clusterApi) ?? 'unknown';
  const dir =
    env['IMAGEURL_CLUSTERCTL_DIR'] || join(repoRoot ?? '.', '.cache', 'envtest', `cluster-api-${pinned}`);
  const version = `v${pinned}`;
  const managers = MANAGER_NAMES.map((name) => ({
    name,
    binary: join(dir, 'bin', LAYOUT[name].binary),
    components: join(dir, 'repository', name, version, LAYOUT[name].components),
  }));
  const missing = managers.flatMap((manager) => [
    ...(usable(manager.binary, true) ? [] : [manager.binary]),
    ...(usable(manager.components, false) ? [] : [manager.components]),
  ]);
  if (missing.length > 0)
    throw new MissingAssetError(
      `Cluster API ${version}'s managers or components not found: ${missing.join(', ')}. ` +
        'Run `bash tools/envtest/install.sh` (or `npm run setup`) to build them.',
    );
  return { version, managers };
}
