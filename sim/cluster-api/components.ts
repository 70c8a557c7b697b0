// A provider's rendered components (clusterctl's <provider>-components.yaml) describe their
// webhooks as calls to an in-cluster Service, with cert-manager injecting the CA. Without pods or
// cert-manager, the same CRDs and webhook configurations are installed with every call sent to
// the manager's own webhook server on loopback, trusted through a CA of ours.
import { parseAllDocuments } from 'yaml';

type Json = Record<string, unknown>;

/** Where a manager's webhook server listens, and the CA (PEM) its serving certificate is from. */
export interface WebhookEndpoint {
  readonly url: string;
  readonly caPem: string;
}

/** The parts of one provider's components that the apiserver needs to call its manager. */
export interface ServedComponents {
  readonly crds: readonly Json[];
  readonly validating: readonly Json[];
  readonly mutating: readonly Json[];
}

const CA_INJECTION = 'cert-manager.io/inject-ca-from';

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `service: {path}` becomes `url: <endpoint><path>`, with the CA as caBundle. */
export function pointAt(clientConfig: unknown, endpoint: WebhookEndpoint, where: string): Json {
  const service = isObject(clientConfig) ? clientConfig['service'] : undefined;
  if (!isObject(service))
    throw new Error(
      `${where}: clientConfig has no service to re-point (found ${JSON.stringify(clientConfig)})`,
    );
  const path = typeof service['path'] === 'string' ? service['path'] : '';
  return { url: `${endpoint.url}${path}`, caBundle: Buffer.from(endpoint.caPem).toString('base64') };
}

function withoutCaInjection(metadata: unknown): Json {
  const copy = { ...(isObject(metadata) ? metadata : {}) };
  const annotations = isObject(copy['annotations']) ? copy['annotations'] : {};
  return {
    ...copy,
    annotations: Object.fromEntries(Object.entries(annotations).filter(([key]) => key !== CA_INJECTION)),
  };
}

function nameOf(object: Json): string {
  const metadata = object['metadata'];
  return isObject(metadata) && typeof metadata['name'] === 'string' ? metadata['name'] : '(unnamed)';
}

function servedCrd(crd: Json, endpoint: WebhookEndpoint): Json {
  const spec = isObject(crd['spec']) ? crd['spec'] : {};
  const conversion = spec['conversion'];
  if (!isObject(conversion) || conversion['strategy'] !== 'Webhook') return crd;
  const webhook = isObject(conversion['webhook']) ? conversion['webhook'] : {};
  const clientConfig = pointAt(webhook['clientConfig'], endpoint, `CRD ${nameOf(crd)}`);
  return {
    ...crd,
    metadata: withoutCaInjection(crd['metadata']),
    spec: { ...spec, conversion: { ...conversion, webhook: { ...webhook, clientConfig } } },
  };
}

function servedConfiguration(configuration: Json, endpoint: WebhookEndpoint): Json {
  const webhooks = Array.isArray(configuration['webhooks']) ? configuration['webhooks'] : [];
  const where = `${String(configuration['kind'])} ${nameOf(configuration)}`;
  return {
    ...configuration,
    metadata: withoutCaInjection(configuration['metadata']),
    webhooks: webhooks.map((webhook: unknown) => {
      const fields = isObject(webhook) ? webhook : {};
      return { ...fields, clientConfig: pointAt(fields['clientConfig'], endpoint, where) };
    }),
  };
}

/**
 * The CRDs and webhook configurations of a components YAML, every webhook (conversion and
 * admission) sent to `endpoint`. Other kinds (Deployment, Service, cert-manager's) are left out:
 * the manager runs as a process and its certificate is ours.
 */
export function servedComponents(yamlText: string, endpoint: WebhookEndpoint): ServedComponents {
  const crds: Json[] = [];
  const validating: Json[] = [];
  const mutating: Json[] = [];
  for (const doc of parseAllDocuments(yamlText)) {
    if (doc.errors.length > 0) throw new Error(`invalid components YAML: ${doc.errors[0]?.message ?? ''}`);
    const object: unknown = doc.toJS();
    if (!isObject(object)) continue;
    if (object['kind'] === 'CustomResourceDefinition') crds.push(servedCrd(object, endpoint));
    if (object['kind'] === 'ValidatingWebhookConfiguration')
      validating.push(servedConfiguration(object, endpoint));
    if (object['kind'] === 'MutatingWebhookConfiguration')
      mutating.push(servedConfiguration(object, endpoint));
  }
  return { crds, validating, mutating };
}
