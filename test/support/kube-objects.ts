import { CoreV1Api, loadYaml, V1Namespace, type KubeConfig } from '@kubernetes/client-node';

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
