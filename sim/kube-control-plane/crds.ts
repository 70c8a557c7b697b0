import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ApiException,
  ApiextensionsV1Api,
  CustomObjectsApi,
  loadYaml,
  type KubeConfig,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { waitFor } from '../process/wait-for.js';
import { servableCrd, type ConversionWebhookEndpoint } from './crd-conversion.js';

const MANIFEST = /\.(ya?ml|json)$/;

/** The manifest files behind `paths`: files as given, folders' *.yaml/*.yml/*.json (not recursive), sorted. */
export async function manifestFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if (!(await stat(path)).isDirectory()) {
      files.push(path);
      continue;
    }
    const names = (await readdir(path)).filter((name) => MANIFEST.test(name)).sort();
    files.push(...names.map((name) => join(path, name)));
  }
  return files;
}

function isCrd(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    value.kind === 'CustomResourceDefinition'
  );
}

/** Every CustomResourceDefinition in a multi-document YAML text, as JSON (other kinds and empty documents skipped). */
function crdDocuments(text: string, source: string): Record<string, unknown>[] {
  const crds: Record<string, unknown>[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: invalid YAML: ${doc.errors[0]?.message ?? ''}`);
    const value: unknown = doc.toJS();
    if (isCrd(value)) crds.push(value);
  }
  return crds;
}

/** Through client-node's loader, so the typed model keeps the JSON names (x-kubernetes-*, $ref). */
const typed = (crd: Record<string, unknown>): V1CustomResourceDefinition =>
  loadYaml<V1CustomResourceDefinition>(JSON.stringify(crd));

/** Every CustomResourceDefinition in a multi-document YAML text (other kinds and empty documents skipped). */
export function parseCrds(text: string, source: string): V1CustomResourceDefinition[] {
  return crdDocuments(text, source).map(typed);
}

/** The CRDs in `paths`, each as servableCrd makes it for `conversionWebhook`. */
export async function readCrds(
  paths: readonly string[],
  conversionWebhook?: ConversionWebhookEndpoint,
): Promise<V1CustomResourceDefinition[]> {
  const crds: V1CustomResourceDefinition[] = [];
  for (const file of await manifestFiles(paths)) {
    const documents = crdDocuments(await readFile(file, 'utf8'), file);
    crds.push(...documents.map((crd) => typed(servableCrd(crd, conversionWebhook))));
  }
  return crds;
}

async function createOrUpdate(api: ApiextensionsV1Api, crd: V1CustomResourceDefinition): Promise<string> {
  const name = crd.metadata?.name;
  if (!name) throw new Error('a CustomResourceDefinition has no metadata.name');
  try {
    await api.createCustomResourceDefinition({ body: crd });
  } catch (error) {
    if (!(error instanceof ApiException) || error.code !== 409) {
      const why = error instanceof Error ? error.message : String(error);
      throw new Error(`could not create CustomResourceDefinition ${name}: ${why}`, { cause: error });
    }
    await replace(api, name, crd);
  }
  return name;
}

/**
 * Replaces an existing CRD with optimistic concurrency. The apiserver keeps updating a CRD's
 * status (and so its resourceVersion) for a while after creating it, so a 409 Conflict means
 * "read again and retry", a few times.
 */
async function replace(
  api: ApiextensionsV1Api,
  name: string,
  crd: V1CustomResourceDefinition,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const existing = await api.readCustomResourceDefinition({ name });
    const resourceVersion = existing.metadata?.resourceVersion;
    if (crd.metadata && resourceVersion) crd.metadata.resourceVersion = resourceVersion;
    try {
      await api.replaceCustomResourceDefinition({ name, body: crd });
      return;
    } catch (error) {
      if (!(error instanceof ApiException) || error.code !== 409 || attempt >= 5) {
        throw new Error(`could not replace CustomResourceDefinition ${name}: ${String(error)}`, {
          cause: error,
        });
      }
    }
  }
}

async function established(api: ApiextensionsV1Api, name: string): Promise<true | undefined> {
  const crd = await api.readCustomResourceDefinition({ name });
  const condition = crd.status?.conditions?.find((c) => c.type === 'Established');
  return condition?.status === 'True' ? true : undefined;
}

/**
 * Right after Established, the apiserver still answers LISTs of the new kind with
 * 429 "storage is (re)initializing" while its watch cache fills (and a first create waits
 * for it); client-node's informers stop on such an error. So "installed" also means listable.
 */
async function listable(objects: CustomObjectsApi, crd: V1CustomResourceDefinition): Promise<true> {
  const served = crd.spec.versions.filter((version) => version.served);
  for (const { name: version } of served) {
    await objects.listClusterCustomObject({
      group: crd.spec.group,
      version,
      plural: crd.spec.names.plural,
      limit: 1,
    });
  }
  return true;
}

export interface InstallCrdsOptions {
  /** How long each CRD may take to become Established and listable. */
  readonly deadlineMs?: number;
  /**
   * The webhook server that converts between the versions of CRDs whose conversion webhook
   * names a Service; without it such CRDs serve their storage version only (see servableCrd).
   */
  readonly conversionWebhook?: ConversionWebhookEndpoint;
}

/**
 * Creates (or, when they exist, replaces) the CRDs found in `paths` and waits until each is
 * Established and its kinds can be listed (conversion webhooks as `options.conversionWebhook`
 * says). Returns their names.
 */
export async function installCrds(
  kubeConfig: KubeConfig,
  paths: readonly string[],
  options: InstallCrdsOptions = {},
): Promise<string[]> {
  const api = kubeConfig.makeApiClient(ApiextensionsV1Api);
  const objects = kubeConfig.makeApiClient(CustomObjectsApi);
  const deadlineMs = options.deadlineMs ?? 30_000;
  const install = async (crd: V1CustomResourceDefinition): Promise<string> => {
    const name = await createOrUpdate(api, crd);
    await waitFor(() => established(api, name), {
      deadlineMs,
      description: `CustomResourceDefinition ${name} to be Established`,
    });
    await waitFor(() => listable(objects, crd), { deadlineMs, description: `${name} to be listable` });
    return name;
  };
  return Promise.all((await readCrds(paths, options.conversionWebhook)).map(install));
}
