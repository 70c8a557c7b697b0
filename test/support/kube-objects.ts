import { CoreV1Api, loadYaml, V1Namespace, type KubeConfig } from '@kubernetes/client-node';
import { eventually } from './kube-runtime-fixtures.js';

type KubeObjectFields = { apiVersion: string; kind: string } & Record<string, unknown>;

/**
 * A client-node model instance (V1Namespace, V1SelfSubjectReview, …) from a plain object, built by
 * client-node's own loader, so request bodies are real model instances rather than literals cast
 * to a class type. `model` names the expected class; a mismatching apiVersion/kind throws.
 */
export function kubeObject<T>(model: new () => T, fields: KubeObjectFields): T {
  const object = loadYaml<unknown>(JSON.stringify(fields));
  if (!(object instanceof model))
    throw new Error(`${fields.apiVersion} ${fields.kind} is not a ${model.name}`);
  return object;
}

/** Creates the namespace `name` through the apiserver `config` points at. */
export async function createNamespace(config: KubeConfig, name: string): Promise<V1Namespace> {
  return config.makeApiClient(CoreV1Api).createNamespace({
    body: kubeObject(V1Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
  });
}

/**
 * Deletes the namespace `name` and waits until it is gone: only then has a namespace controller
 * removed what was left in it and seen every finalizer released.
 */
export async function deleteNamespaceAndWait(
  config: KubeConfig,
  name: string,
  deadlineMs: number,
): Promise<void> {
  const core = config.makeApiClient(CoreV1Api);
  await core.deleteNamespace({ name });
  await eventually(
    `the namespace ${name} gone`,
    async () => (await core.listNamespace({ fieldSelector: `metadata.name=${name}` })).items.length === 0,
    deadlineMs,
  );
}
