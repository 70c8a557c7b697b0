// A pod's view of a ServiceAccount, outside a pod: the shipped RBAC objects applied as they are,
// a token minted with the TokenRequest API (as the kubelet mints projected tokens), and the
// folder a pod mounts at /var/run/secrets/kubernetes.io/serviceaccount (token, ca.crt, namespace).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AuthenticationV1TokenRequest,
  CoreV1Api,
  KubernetesObjectApi,
  V1TokenRequestSpec,
  type KubeConfig,
} from '@kubernetes/client-node';
import type { K8sObject } from './release-output.js';

/** Creates `objects` in order, as the cluster admin `config` holds (kubectl apply of a fresh cluster). */
export async function applyObjects(config: KubeConfig, objects: readonly K8sObject[]): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(config);
  for (const object of objects) await api.create(object);
}

/** client-node's YAML loader does not know TokenRequest: the model is filled in directly. */
function tokenRequest(expirationSeconds: number): AuthenticationV1TokenRequest {
  const request = new AuthenticationV1TokenRequest();
  request.apiVersion = 'authentication.k8s.io/v1';
  request.kind = 'TokenRequest';
  request.spec = new V1TokenRequestSpec();
  // No audience: the apiserver's own (its --service-account-issuer), as a pod's default token.
  request.spec.audiences = [];
  request.spec.expirationSeconds = expirationSeconds;
  return request;
}

export interface InClusterLogin {
  /** The folder with token, ca.crt and namespace. */
  readonly dir: string;
  /** KUBERNETES_SERVICE_HOST/PORT and IMAGEURL_SERVICEACCOUNT_DIR for the controller process. */
  readonly env: Readonly<Record<string, string>>;
  /** `system:serviceaccount:<namespace>:<name>`, as the apiserver (and its audit log) names it. */
  readonly username: string;
}

/**
 * Mints a token for the ServiceAccount (valid two hours, longer than any test) and writes the
 * folder into `dir`, trusting the apiserver's serving CA as a pod's ca.crt does.
 */
export async function loginAsServiceAccount(
  config: KubeConfig,
  account: { readonly namespace: string; readonly name: string },
  dir: string,
): Promise<InClusterLogin> {
  const cluster = config.getCurrentCluster();
  if (!cluster?.caData) throw new Error('the admin kubeconfig embeds no CA');
  const requested = await config.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name: account.name,
    namespace: account.namespace,
    body: tokenRequest(7200),
  });
  const token = requested.status?.token ?? '';
  if (token === '') throw new Error('the TokenRequest answered without a token');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, 'token'), token, { mode: 0o600 });
  await writeFile(join(dir, 'ca.crt'), Buffer.from(cluster.caData, 'base64'));
  await writeFile(join(dir, 'namespace'), account.namespace);
  const server = new URL(cluster.server);
  return {
    dir,
    env: {
      KUBERNETES_SERVICE_HOST: server.hostname,
      KUBERNETES_SERVICE_PORT: server.port,
      IMAGEURL_SERVICEACCOUNT_DIR: dir,
    },
    username: `system:serviceaccount:${account.namespace}:${account.name}`,
  };
}
