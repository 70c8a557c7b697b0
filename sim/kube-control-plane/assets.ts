import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { envtestVersions, findRepoRoot } from './envtest-versions.js';

/** The control-plane binaries, named as in a KUBEBUILDER_ASSETS folder. */
export type AssetName = 'kube-apiserver' | 'etcd' | 'kubectl' | 'kube-controller-manager';

/** envtest's last-resort folder. */
export const SYSTEM_ASSETS_DIR = '/usr/local/kubebuilder/bin';

export interface AssetLookupOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Where `.cache/envtest` and `tools/envtest` live; found from this file's location by default. */
  readonly repoRoot?: string | undefined;
  readonly systemDir?: string;
}

/** A required file or folder is missing; the message says what was looked for and how to get it. */
export class MissingAssetError extends Error {
  readonly code = 'CONTROL_PLANE_ASSET_MISSING';
}

const SETUP_HINT = 'Run `bash tools/envtest/install.sh` (or `npm run setup`) to build it';

/** `TEST_ASSET_KUBE_APISERVER` for `kube-apiserver`, as controller-runtime's envtest names it. */
export function assetEnvName(name: AssetName): string {
  return `TEST_ASSET_${name.toUpperCase().replace(/-/g, '_')}`;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function newestMatching(dir: string, pattern: RegExp): string | undefined {
  try {
    const names = readdirSync(dir).filter((name) => pattern.test(name));
    const newest = names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);
    return newest === undefined ? undefined : join(dir, newest);
  } catch {
    return undefined;
  }
}

/**
 * The folder tools/envtest/install.sh builds into by default: `.cache/envtest/k8s-<v>-etcd-<v>`
 * with the versions its Go modules pin, or else the newest such folder present.
 */
export function defaultAssetsDir(repoRoot: string): string {
  const cache = join(repoRoot, '.cache', 'envtest');
  const { kubernetes, etcd } = envtestVersions(repoRoot);
  if (kubernetes !== undefined && etcd !== undefined) return join(cache, `k8s-${kubernetes}-etcd-${etcd}`);
  return newestMatching(cache, /^k8s-.+-etcd-.+$/) ?? join(cache, 'k8s-unknown-etcd-unknown');
}

/** Where `name` is looked for, in order (envtest convention, then this repository's build). */
export function assetCandidates(name: AssetName, options: AssetLookupOptions = {}): string[] {
  const env = options.env ?? process.env;
  const repoRoot = 'repoRoot' in options ? options.repoRoot : findRepoRoot();
  const candidates: string[] = [];
  const assets = env['KUBEBUILDER_ASSETS'];
  if (assets) candidates.push(join(assets, name));
  if (repoRoot !== undefined) candidates.push(join(defaultAssetsDir(repoRoot), name));
  candidates.push(join(options.systemDir ?? SYSTEM_ASSETS_DIR, name));
  return candidates;
}

/**
 * The path of a control-plane binary: `TEST_ASSET_<NAME>` (which must then exist), then
 * `$KUBEBUILDER_ASSETS/<name>`, then the repository's default build folder, then
 * /usr/local/kubebuilder/bin.
 */
export function findAsset(name: AssetName, options: AssetLookupOptions = {}): string {
  const env = options.env ?? process.env;
  const explicit = env[assetEnvName(name)];
  if (explicit) {
    if (isExecutableFile(explicit)) return explicit;
    throw new MissingAssetError(`${assetEnvName(name)}=${explicit} is not an executable file`);
  }
  const candidates = assetCandidates(name, options);
  const found = candidates.find(isExecutableFile);
  if (found !== undefined) return found;
  throw new MissingAssetError(
    `${name} not found; looked for ${assetEnvName(name)} (unset), then ${candidates.join(', ')}` +
      `${env['KUBEBUILDER_ASSETS'] ? '' : ' ($KUBEBUILDER_ASSETS unset)'}. ${SETUP_HINT}, or set ` +
      `KUBEBUILDER_ASSETS to a folder holding kube-apiserver, etcd and kubectl.`,
  );
}

/** Like findAsset, but `undefined` instead of an error (for optional binaries such as kubectl). */
export function findOptionalAsset(name: AssetName, options: AssetLookupOptions = {}): string | undefined {
  try {
    return findAsset(name, options);
  } catch (error) {
    if (error instanceof MissingAssetError) return undefined;
    throw error;
  }
}

export interface ControlPlaneBinaries {
  readonly kubeApiserver: string;
  readonly etcd: string;
  /** Not needed to run the control plane; offered to tools that want it. */
  readonly kubectl: string | undefined;
}

export function findControlPlaneBinaries(options: AssetLookupOptions = {}): ControlPlaneBinaries {
  return {
    kubeApiserver: findAsset('kube-apiserver', options),
    etcd: findAsset('etcd', options),
    kubectl: findOptionalAsset('kubectl', options),
  };
}

function hasYaml(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => /\.ya?ml$/.test(name));
  } catch {
    return false;
  }
}

/**
 * The folder holding Cluster API's CRDs: `IMAGEURL_CAPI_CRDS`, or the one
 * tools/envtest/cluster-api-crds.sh fills (`.cache/envtest/cluster-api-<v>/crds`).
 */
export function findClusterApiCrds(options: AssetLookupOptions = {}): string {
  const env = options.env ?? process.env;
  const explicit = env['IMAGEURL_CAPI_CRDS'];
  if (explicit) {
    if (hasYaml(explicit)) return explicit;
    throw new MissingAssetError(`IMAGEURL_CAPI_CRDS=${explicit} is not a folder holding CRD YAML files`);
  }
  const repoRoot = 'repoRoot' in options ? options.repoRoot : findRepoRoot();
  if (repoRoot === undefined) {
    throw new MissingAssetError('Cluster API CRDs not found: set IMAGEURL_CAPI_CRDS to their folder');
  }
  const version = envtestVersions(repoRoot).clusterApi ?? 'unknown';
  const dir = join(repoRoot, '.cache', 'envtest', `cluster-api-${version}`, 'crds');
  if (hasYaml(dir)) return dir;
  throw new MissingAssetError(
    `Cluster API CRDs not found in ${dir} (IMAGEURL_CAPI_CRDS unset). Run ` +
      '`bash tools/envtest/cluster-api-crds.sh` (or `npm run setup`) to fetch them.',
  );
}
