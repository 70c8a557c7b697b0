import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from './errors.js';

/** Where a pod's service account credentials are mounted. */
export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Names another folder with `token`, `ca.crt` and `namespace` for the in-cluster config: for
 * running the controller outside a pod under a ServiceAccount's token (tests of the shipped RBAC).
 * It cannot widen access: whoever sets it could set KUBECONFIG as well.
 */
export const SERVICE_ACCOUNT_DIR_ENV = 'IMAGEURL_SERVICEACCOUNT_DIR';

export interface KubeConfigSource {
  /** --kubeconfig: wins over everything else. */
  readonly kubeconfig?: string | undefined;
  readonly env: NodeJS.ProcessEnv;
  /** Default the user's home directory. */
  readonly home?: string;
  /** Default $IMAGEURL_SERVICEACCOUNT_DIR, else SERVICE_ACCOUNT_DIR (tests point it elsewhere). */
  readonly serviceAccountDir?: string;
}

export type KubeConfigOrigin = 'flag' | 'KUBECONFIG' | 'in-cluster' | 'home';

export interface LoadedKubeConfig {
  readonly config: KubeConfig;
  readonly origin: KubeConfigOrigin;
  /** The pod's namespace when in-cluster. */
  readonly namespace: string | undefined;
}

function fromFiles(files: readonly string[], origin: KubeConfigOrigin, source: string): LoadedKubeConfig {
  const config = new KubeConfig();
  const [first, ...rest] = files;
  try {
    if (first === undefined) throw new Error('no file named');
    config.loadFromFile(first);
    for (const file of rest) {
      const more = new KubeConfig();
      more.loadFromFile(file);
      config.mergeConfig(more);
    }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new ConfigError('KUBECONFIG_INVALID', `${source}: cannot load ${files.join(delimiter)}: ${why}`, {
      cause: error,
    });
  }
  if (!config.getCurrentCluster())
    throw new ConfigError(
      'KUBECONFIG_INVALID',
      `${source}: ${files.join(delimiter)} has no current context with a cluster`,
    );
  return { config, origin, namespace: undefined };
}

/** The in-cluster config (what client-node's loadFromCluster builds), from an injectable env and folder. */
function inCluster(env: NodeJS.ProcessEnv, dir: string): LoadedKubeConfig {
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  const server = `https://${isIPv6(host) ? `[${host}]` : host}:${port}`;
  const config = new KubeConfig();
  config.loadFromClusterAndUser(
    { name: 'inCluster', server, caFile: join(dir, 'ca.crt'), skipTLSVerify: false },
    { name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile: join(dir, 'token') } } },
  );
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  return { config, origin: 'in-cluster', namespace };
}

/**
 * The apiserver credentials, in kubectl's order: --kubeconfig, $KUBECONFIG (a list), the pod's
 * service account when running in a cluster (its folder: see SERVICE_ACCOUNT_DIR_ENV), ~/.kube/config. Unlike client-node's
 * loadFromDefault it never falls back to http://localhost:8080: no credentials is an error.
 */
export function loadKubeConfig(source: KubeConfigSource): LoadedKubeConfig {
  if (source.kubeconfig) return fromFiles([source.kubeconfig], 'flag', '--kubeconfig');
  const listed = (source.env.KUBECONFIG ?? '').split(delimiter).filter((file) => file !== '');
  if (listed.length > 0) return fromFiles(listed, 'KUBECONFIG', 'KUBECONFIG');
  const dir = source.serviceAccountDir ?? (source.env[SERVICE_ACCOUNT_DIR_ENV] || SERVICE_ACCOUNT_DIR);
  if (source.env.KUBERNETES_SERVICE_HOST && existsSync(join(dir, 'token'))) return inCluster(source.env, dir);
  const home = join(source.home ?? homedir(), '.kube', 'config');
  if (existsSync(home)) return fromFiles([home], 'home', '~/.kube/config');
  throw new ConfigError(
    'KUBECONFIG_NOT_FOUND',
    'no apiserver credentials: pass --kubeconfig, set KUBECONFIG, run in a pod with a service account, or create ~/.kube/config',
  );
}
