import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The component versions pinned by the Go modules under tools/envtest (their single source of truth). */
export interface EnvtestVersions {
  readonly kubernetes: string | undefined;
  readonly etcd: string | undefined;
  readonly clusterApi: string | undefined;
  readonly certManager: string | undefined;
}

/**
 * The version (without the leading `v`) at which a go.mod requires `modulePath`, in either the
 * one-line (`require m v1`) or the block form; `undefined` when it is not required.
 */
export function requiredVersion(goMod: string, modulePath: string): string | undefined {
  const escaped = modulePath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const line = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+v(\\S+)`, 'm');
  return line.exec(goMod)?.[1];
}

/** The repository root: the nearest folder above this file that holds tools/envtest. */
export function findRepoRoot(start = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'tools', 'envtest'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function readVersion(file: string, modulePath: string): string | undefined {
  try {
    return requiredVersion(readFileSync(file, 'utf8'), modulePath);
  } catch {
    return undefined;
  }
}

export function envtestVersions(repoRoot: string): EnvtestVersions {
  const envtest = join(repoRoot, 'tools', 'envtest');
  return {
    kubernetes: readVersion(join(envtest, 'kubernetes', 'go.mod'), 'k8s.io/kubernetes'),
    etcd: readVersion(join(envtest, 'etcd', 'go.mod'), 'go.etcd.io/etcd/server/v3'),
    clusterApi: readVersion(join(envtest, 'cluster-api', 'go.mod'), 'sigs.k8s.io/cluster-api'),
    certManager: readVersion(join(envtest, 'cert-manager', 'go.mod'), 'github.com/cert-manager/cert-manager'),
  };
}
