// A shipped CRD with several versions names its conversion webhook as an in-cluster Service
// (cert-manager injecting the CA). A test apiserver has no pods behind Services: either the
// conversion goes to a webhook server running on loopback, or, where none runs, the CRD serves
// its storage version alone, so no read ever needs a conversion nothing would answer.

type Json = Record<string, unknown>;

/** Where a webhook server listens (https://host:port) and the CA (PEM) its certificate is from. */
export interface ConversionWebhookEndpoint {
  readonly url: string;
  readonly caPem: string;
}

const CA_INJECTION = 'cert-manager.io/inject-ca-from';

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `service.path` of a Webhook conversion's clientConfig, or undefined for any other CRD. */
function servicePath(spec: Json): string | undefined {
  const conversion = spec['conversion'];
  if (!isObject(conversion) || conversion['strategy'] !== 'Webhook') return undefined;
  const webhook = conversion['webhook'];
  const clientConfig = isObject(webhook) ? webhook['clientConfig'] : undefined;
  const service = isObject(clientConfig) ? clientConfig['service'] : undefined;
  if (!isObject(service)) return undefined;
  return typeof service['path'] === 'string' ? service['path'] : '';
}

function withoutCaInjection(metadata: unknown): Json {
  const copy = isObject(metadata) ? metadata : {};
  const annotations = isObject(copy['annotations']) ? copy['annotations'] : {};
  const kept = Object.entries(annotations).filter(([key]) => key !== CA_INJECTION);
  return { ...copy, annotations: Object.fromEntries(kept) };
}

/**
 * The CRD (as JSON) as a test apiserver can serve it: a conversion webhook named by Service is
 * sent to `endpoint` (the Service's path on its URL, trusted through its CA) or, without an
 * endpoint, dropped together with every version but the stored one. Other CRDs are returned as
 * they are; the input is never changed.
 */
export function servableCrd(crd: Json, endpoint: ConversionWebhookEndpoint | undefined): Json {
  const spec = isObject(crd['spec']) ? crd['spec'] : {};
  const path = servicePath(spec);
  if (path === undefined) return crd;
  const metadata = withoutCaInjection(crd['metadata']);
  if (endpoint === undefined) {
    const versions = Array.isArray(spec['versions']) ? spec['versions'] : [];
    const stored = versions.filter((version) => isObject(version) && version['storage'] === true);
    return { ...crd, metadata, spec: { ...spec, versions: stored, conversion: { strategy: 'None' } } };
  }
  const conversion = spec['conversion'] as Json;
  const webhook = conversion['webhook'] as Json;
  const clientConfig = {
    url: `${endpoint.url}${path}`,
    caBundle: Buffer.from(endpoint.caPem).toString('base64'),
  };
  return {
    ...crd,
    metadata,
    spec: { ...spec, conversion: { ...conversion, webhook: { ...webhook, clientConfig } } },
  };
}
