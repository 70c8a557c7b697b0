/**
 * Installed webhook configurations name a Service, which a test apiserver without pods cannot
 * reach. These helpers keep a provider's configurations as installed (rules, paths, policies)
 * but send the calls to a webhook server running in the test, or remove the configurations of
 * providers whose webhooks nothing serves.
 */
import {
  AdmissionregistrationV1Api,
  ApiextensionsV1Api,
  AdmissionregistrationV1WebhookClientConfig,
  dumpYaml,
  loadYaml,
  type KubeConfig,
  type V1CustomResourceDefinition,
  type V1MutatingWebhookConfiguration,
  type V1ValidatingWebhookConfiguration,
} from '@kubernetes/client-node';

import { servableCrd } from '../../sim/kube-control-plane/index.js';

type Configuration = V1ValidatingWebhookConfiguration | V1MutatingWebhookConfiguration;
type Labels = Readonly<Record<string, string>>;

const nameOf = (configuration: Configuration): string => configuration.metadata?.name ?? '';

/** Deletes every validating and mutating webhook configuration whose labels `select` picks; returns their names. */
export async function removeWebhookConfigurations(
  config: KubeConfig,
  select: (labels: Labels) => boolean,
): Promise<string[]> {
  const api = config.makeApiClient(AdmissionregistrationV1Api);
  const picked = (item: Configuration): boolean => select(item.metadata?.labels ?? {});
  const validating = (await api.listValidatingWebhookConfiguration()).items.filter(picked);
  const mutating = (await api.listMutatingWebhookConfiguration()).items.filter(picked);
  await Promise.all([
    ...validating.map((item) => api.deleteValidatingWebhookConfiguration({ name: nameOf(item) })),
    ...mutating.map((item) => api.deleteMutatingWebhookConfiguration({ name: nameOf(item) })),
  ]);
  return [...validating, ...mutating].map(nameOf);
}

function clientConfigFor(
  installed: AdmissionregistrationV1WebhookClientConfig,
  server: { readonly url: string; readonly caPem: string },
): AdmissionregistrationV1WebhookClientConfig {
  const clientConfig = new AdmissionregistrationV1WebhookClientConfig();
  clientConfig.url = `${server.url}${installed.service?.path ?? ''}`;
  clientConfig.caBundle = Buffer.from(server.caPem).toString('base64');
  return clientConfig;
}

/**
 * Points every webhook of the configurations labelled `cluster.x-k8s.io/provider=<provider>` at
 * `server` (its URL plus the path the Service reference had), trusted through `caPem`; returns
 * the names of the configurations changed.
 */
export async function pointWebhooksAt(
  config: KubeConfig,
  provider: string,
  server: { readonly url: string; readonly caPem: string },
): Promise<string[]> {
  const api = config.makeApiClient(AdmissionregistrationV1Api);
  const labelSelector = `cluster.x-k8s.io/provider=${provider}`;
  const validating = (await api.listValidatingWebhookConfiguration({ labelSelector })).items;
  const mutating = (await api.listMutatingWebhookConfiguration({ labelSelector })).items;
  for (const item of [...validating, ...mutating])
    for (const webhook of item.webhooks ?? [])
      webhook.clientConfig = clientConfigFor(webhook.clientConfig, server);
  await Promise.all([
    ...validating.map((body) => api.replaceValidatingWebhookConfiguration({ name: nameOf(body), body })),
    ...mutating.map((body) => api.replaceMutatingWebhookConfiguration({ name: nameOf(body), body })),
  ]);
  return [...validating, ...mutating].map(nameOf);
}

/**
 * Sends the conversion webhook of every CRD labelled `cluster.x-k8s.io/provider=<provider>` to
 * `server` (its URL plus the path the Service reference had), trusted through `caPem`; returns
 * the names of the CRDs changed.
 */
export async function pointConversionAt(
  config: KubeConfig,
  provider: string,
  server: { readonly url: string; readonly caPem: string },
): Promise<string[]> {
  const api = config.makeApiClient(ApiextensionsV1Api);
  const labelSelector = `cluster.x-k8s.io/provider=${provider}`;
  const changed: string[] = [];
  for (const crd of (await api.listCustomResourceDefinition({ labelSelector })).items) {
    // As JSON (the wire names), changed, and back into client-node's typed model.
    crd.apiVersion = 'apiextensions.k8s.io/v1';
    crd.kind = 'CustomResourceDefinition';
    const json = loadYaml<Record<string, unknown>>(dumpYaml(crd));
    const served = servableCrd(json, server);
    if (served === json) continue;
    const name = crd.metadata?.name ?? '';
    const body = loadYaml<V1CustomResourceDefinition>(JSON.stringify(served));
    await api.replaceCustomResourceDefinition({ name, body });
    changed.push(name);
  }
  return changed;
}
