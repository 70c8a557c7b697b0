import { setTimeout as delay } from 'node:timers/promises';
import { API_VERSION } from '../../api/v1beta1/index.js';
import { isKubeError, type KindRef, type KubeClient, type KubeObject } from '../kube/index.js';
import { hcloudMachines } from '../reconcilers/shared/kinds.js';
import { webhookConfigurations, type WebhookKindRef } from '../webhooks/server/index.js';
import { DEMO_NAMESPACE } from './demo-objects.js';

const admissionKind = (kind: string, plural: string): KindRef => ({
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  kind,
  plural,
  namespaced: false,
});
const configurationKinds: Readonly<Record<string, KindRef>> = {
  MutatingWebhookConfiguration: admissionKind(
    'MutatingWebhookConfiguration',
    'mutatingwebhookconfigurations',
  ),
  ValidatingWebhookConfiguration: admissionKind(
    'ValidatingWebhookConfiguration',
    'validatingwebhookconfigurations',
  ),
};

/**
 * Registers the controller's admission webhooks with the apiserver by URL (as a local
 * development setup does instead of a Service), trusted through the demo CA.
 */
export async function registerWebhooks(
  client: KubeClient,
  server: { readonly url: string; readonly caPem: string },
  kinds: readonly WebhookKindRef[],
): Promise<void> {
  const caBundle = Buffer.from(server.caPem).toString('base64');
  const configurations = webhookConfigurations(kinds, {
    clientConfig: (path) => ({ url: `${server.url}${path}`, caBundle }),
    annotations: {},
  });
  for (const configuration of configurations) {
    const kind = configurationKinds[String(configuration['kind'])];
    if (!kind) throw new Error(`unexpected webhook configuration kind ${String(configuration['kind'])}`);
    await client.create(kind, configuration as unknown as KubeObject);
  }
}

/**
 * The apiserver takes new webhook configurations into use asynchronously (about 2 s). Offers an
 * HCloudMachine whose imageURLCommand lacks the required prefix until the webhook refuses it;
 * returns the refusal, which is what a user would see.
 */
export async function webhookRefusal(client: KubeClient, deadlineMs = 30_000): Promise<string> {
  const probe = {
    apiVersion: API_VERSION,
    kind: 'HCloudMachine',
    metadata: { name: 'webhook-probe', namespace: DEMO_NAMESPACE },
    spec: { type: 'cpx22', imageURL: 'oci://registry.example/image:v1', imageURLCommand: 'install.sh' },
  } as KubeObject;
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      await client.create(hcloudMachines, probe);
      await client.delete(hcloudMachines, DEMO_NAMESPACE, 'webhook-probe');
    } catch (error) {
      if (isKubeError(error, 'KUBE_INVALID') || isKubeError(error, 'KUBE_FORBIDDEN')) {
        return denial(error instanceof Error ? error.message : String(error));
      }
      // The controller's webhook server may still be starting: the apiserver cannot call it yet.
      if (!isKubeError(error, 'KUBE_SERVER_ERROR') || Date.now() >= deadline) throw error;
    }
    if (Date.now() >= deadline) throw new Error('the admission webhooks did not come into force');
    await delay(250);
  }
}

/**
 * The apiserver's words (an admission webhook's among them) when it refused an object, shortened
 * for one line; undefined for any other error.
 */
export function refusalOf(error: unknown): string | undefined {
  if (!isKubeError(error, 'KUBE_INVALID', 'KUBE_FORBIDDEN')) return undefined;
  // "POST /apis/…: 422 Invalid: <the apiserver's message>": the method and path say nothing new.
  const words = /^[A-Z]+ \S+: \d{3}(?: \w+)?: (.*)$/s.exec(error.message)?.[1] ?? error.message;
  return words.length > 300 ? `${words.slice(0, 299)}…` : words;
}

/** The webhook's own words from the apiserver's error, shortened for one line. */
function denial(message: string): string {
  const at = message.indexOf('is invalid: ');
  const text = at === -1 ? message : `an HCloudMachine ${message.slice(at)}`;
  return text.length > 160 ? `${text.slice(0, 159)}…` : text;
}
