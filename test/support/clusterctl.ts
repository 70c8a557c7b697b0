/**
 * Runs the clusterctl tools/envtest builds against a test apiserver, isolated from the machine:
 * its own HOME (clusterctl reads ~/.config/cluster-api and ~/.cluster-api), a configuration
 * file naming every provider by `file://` URL, no GitHub version check, and an environment
 * holding only what the test passes.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { ClusterctlAssets } from '../../sim/kube-control-plane/index.js';
import { runCommand, type CommandRun } from './run-command.js';

export const INFRASTRUCTURE_LABEL = 'infrastructure-imageurl';

export interface Clusterctl {
  /** Where `npm run release` must write imageurl's release `version`, in clusterctl's local layout. */
  releaseDir(version: string): string;
  /** clusterctl with `args`, `--config` and `--kubeconfig`; `env` adds template variables. */
  run(args: readonly string[], env?: Readonly<Record<string, string>>): Promise<CommandRun>;
}

/** A clusterctl workspace in `dir` for imageurl `version` and the Cluster API of `assets`. */
export async function clusterctlWorkspace(
  assets: ClusterctlAssets,
  options: { readonly dir: string; readonly kubeconfig: string; readonly version: string },
): Promise<Clusterctl> {
  const home = join(options.dir, 'home');
  const repository = join(options.dir, 'repository');
  const releaseDir = (version: string): string => join(repository, INFRASTRUCTURE_LABEL, version);
  const capi = (label: string, file: string): string =>
    `file://${join(assets.repository, label, assets.clusterApiVersion, file)}`;
  const config = {
    providers: [
      { name: 'cluster-api', type: 'CoreProvider', url: capi('cluster-api', 'core-components.yaml') },
      {
        name: 'kubeadm',
        type: 'BootstrapProvider',
        url: capi('bootstrap-kubeadm', 'bootstrap-components.yaml'),
      },
      {
        name: 'kubeadm',
        type: 'ControlPlaneProvider',
        url: capi('control-plane-kubeadm', 'control-plane-components.yaml'),
      },
      {
        name: 'imageurl',
        type: 'InfrastructureProvider',
        url: `file://${join(releaseDir(options.version), 'infrastructure-components.yaml')}`,
      },
    ],
  };
  const configPath = join(options.dir, 'clusterctl.yaml');
  await mkdir(home, { recursive: true });
  await writeFile(configPath, stringify(config));
  const baseEnv = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    CLUSTERCTL_DISABLE_VERSIONCHECK: 'true',
    // The test run's marker, by which scripts/test.sh's leak check finds a clusterctl left behind.
    ...(process.env['IMAGEURL_TEST_RUN'] ? { IMAGEURL_TEST_RUN: process.env['IMAGEURL_TEST_RUN'] } : {}),
  };
  return {
    releaseDir,
    run: (args, env = {}) =>
      runCommand(assets.clusterctl, [...args, '--config', configPath, '--kubeconfig', options.kubeconfig], {
        env: { ...baseEnv, ...env },
        cwd: options.dir,
      }),
  };
}
