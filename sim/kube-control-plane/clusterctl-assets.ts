import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MissingAssetError, type AssetLookupOptions } from './assets.js';
import { envtestVersions, findRepoRoot, type EnvtestVersions } from './envtest-versions.js';

/** What tools/envtest/clusterctl.sh and cert-manager-crds.sh leave in `.cache/envtest`. */
export interface ClusterctlAssets {
  /** clusterctl built from the pinned sigs.k8s.io/cluster-api. */
  readonly clusterctl: string;
  /** The pinned Cluster API release, e.g. `v1.14.2`. */
  readonly clusterApiVersion: string;
  /** A clusterctl local repository: `<label>/<version>/<components>.yaml` for core, kubeadm bootstrap and control plane. */
  readonly repository: string;
  /** cert-manager's CRDs (YAML files) at the pinned github.com/cert-manager/cert-manager. */
  readonly certManagerCrds: string;
}

const SETUP_HINT = 'Run `bash tools/envtest/install.sh` (or `npm run setup`) to build them';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return isFile(path);
  } catch {
    return false;
  }
}

function hasYaml(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => /\.ya?ml$/.test(name));
  } catch {
    return false;
  }
}

/**
 * clusterctl, Cluster API's provider repository and cert-manager's CRDs, from
 * `IMAGEURL_CLUSTERCTL_DIR` and `IMAGEURL_CERT_MANAGER_CRDS` (as the scripts take them) or the
 * repository's `.cache/envtest`; a MissingAssetError names what is missing and how to get it.
 */
/** The pinned version of `component`, and `.cache/envtest/<name>-<it>` of the repository. */
function pinned(
  repoRoot: string | undefined,
  component: keyof EnvtestVersions,
  name: string,
): [string, string] {
  const version = (repoRoot === undefined ? undefined : envtestVersions(repoRoot)[component]) ?? 'unknown';
  return [version, join(repoRoot ?? '.', '.cache', 'envtest', `${name}-${version}`)];
}

export function findClusterctlAssets(options: AssetLookupOptions = {}): ClusterctlAssets {
  const env = options.env ?? process.env;
  const repoRoot = 'repoRoot' in options ? options.repoRoot : findRepoRoot();
  const [clusterApi, clusterApiDir] = pinned(repoRoot, 'clusterApi', 'cluster-api');
  const dir = env['IMAGEURL_CLUSTERCTL_DIR'] || clusterApiDir;
  const certManagerCrds =
    env['IMAGEURL_CERT_MANAGER_CRDS'] || join(pinned(repoRoot, 'certManager', 'cert-manager')[1], 'crds');
  const clusterApiVersion = `v${clusterApi}`;
  const assets = {
    clusterctl: join(dir, 'bin', 'clusterctl'),
    clusterApiVersion,
    repository: join(dir, 'repository'),
    certManagerCrds,
  };
  const core = join(assets.repository, 'cluster-api', clusterApiVersion, 'core-components.yaml');
  if (!isExecutable(assets.clusterctl) || !isFile(core))
    throw new MissingAssetError(
      `clusterctl or Cluster API's provider repository not found in ${dir}. ${SETUP_HINT}.`,
    );
  if (!hasYaml(certManagerCrds))
    throw new MissingAssetError(`cert-manager's CRDs not found in ${certManagerCrds}. ${SETUP_HINT}.`);
  return assets;
}
