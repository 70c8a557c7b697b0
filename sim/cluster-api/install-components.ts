import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AdmissionregistrationV1Api,
  ApiException,
  loadYaml,
  type KubeConfig,
  type V1MutatingWebhookConfiguration,
  type V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';
import { installCrds } from '../kube-control-plane/crds.js';
import type { ServedComponents } from './components.js';

type Json = Record<string, unknown>;

// Through client-node's loader, so the typed models keep the JSON names.
const validatingModel = (object: Json): V1ValidatingWebhookConfiguration => loadYaml(JSON.stringify(object));
const mutatingModel = (object: Json): V1MutatingWebhookConfiguration => loadYaml(JSON.stringify(object));

interface ConfigurationCalls {
  create(object: Json): Promise<unknown>;
  resourceVersion(name: string): Promise<string | undefined>;
  replace(name: string, object: Json): Promise<unknown>;
}

async function createOrReplace(calls: ConfigurationCalls, object: Json): Promise<void> {
  try {
    await calls.create(object);
  } catch (error) {
    if (!(error instanceof ApiException) || error.code !== 409) throw error;
    const metadata = (object['metadata'] ?? {}) as Json;
    const name = String(metadata['name']);
    const resourceVersion = await calls.resourceVersion(name);
    await calls.replace(name, { ...object, metadata: { ...metadata, resourceVersion } });
  }
}

function validatingCalls(api: AdmissionregistrationV1Api): ConfigurationCalls {
  return {
    create: (object) => api.createValidatingWebhookConfiguration({ body: validatingModel(object) }),
    resourceVersion: async (name) =>
      (await api.readValidatingWebhookConfiguration({ name })).metadata?.resourceVersion,
    replace: (name, object) =>
      api.replaceValidatingWebhookConfiguration({ name, body: validatingModel(object) }),
  };
}

function mutatingCalls(api: AdmissionregistrationV1Api): ConfigurationCalls {
  return {
    create: (object) => api.createMutatingWebhookConfiguration({ body: mutatingModel(object) }),
    resourceVersion: async (name) =>
      (await api.readMutatingWebhookConfiguration({ name })).metadata?.resourceVersion,
    replace: (name, object) => api.replaceMutatingWebhookConfiguration({ name, body: mutatingModel(object) }),
  };
}

/**
 * Installs one provider's CRDs (replacing those installed without webhooks) and its webhook
 * configurations; waits until the CRDs are Established. `scratchDir` holds the CRD files.
 */
export async function installServedComponents(
  config: KubeConfig,
  components: ServedComponents,
  options: { readonly scratchDir: string; readonly deadlineMs: number },
): Promise<void> {
  await mkdir(options.scratchDir, { recursive: true });
  const files = await Promise.all(
    components.crds.map(async (crd, index) => {
      const file = join(options.scratchDir, `crd-${index}.json`);
      await writeFile(file, JSON.stringify(crd));
      return file;
    }),
  );
  if (files.length > 0) await installCrds(config, files, { deadlineMs: options.deadlineMs });
  const api = config.makeApiClient(AdmissionregistrationV1Api);
  for (const object of components.validating) await createOrReplace(validatingCalls(api), object);
  for (const object of components.mutating) await createOrReplace(mutatingCalls(api), object);
}
