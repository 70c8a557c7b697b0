import {
  AdmissionregistrationV1Api,
  V1MutatingWebhookConfiguration,
  V1ValidatingWebhookConfiguration,
  type KubeConfig,
} from '@kubernetes/client-node';
import { waitFor } from '../../sim/process/wait-for.js';
import { webhookConfigurations, type WebhookKindRef } from '../../src/webhooks/server/index.js';
import { kubeObject } from './kube-objects.js';

/**
 * Registers our validating and mutating webhook configurations for `kinds` with the apiserver,
 * addressed by URL to a webhook server running in the test, trusted through `caPem`.
 */
export async function registerWebhooks(
  config: KubeConfig,
  server: { readonly url: string; readonly caPem: string },
  kinds: readonly WebhookKindRef[],
): Promise<void> {
  const caBundle = Buffer.from(server.caPem).toString('base64');
  const [mutating, validating] = webhookConfigurations(kinds, {
    clientConfig: (path) => ({ url: `${server.url}${path}`, caBundle }),
    annotations: {},
  });
  if (!mutating || !validating) throw new Error('expected a mutating and a validating configuration');
  const api = config.makeApiClient(AdmissionregistrationV1Api);
  await api.createMutatingWebhookConfiguration({
    body: kubeObject(V1MutatingWebhookConfiguration, mutating as { apiVersion: string; kind: string }),
  });
  await api.createValidatingWebhookConfiguration({
    body: kubeObject(V1ValidatingWebhookConfiguration, validating as { apiVersion: string; kind: string }),
  });
}

/**
 * The apiserver picks new webhook configurations up asynchronously (about 2 s): waits until
 * `acts` (typically a dry-run create the webhook must deny or default) says they are in force.
 */
export async function waitUntilWebhooksAct(acts: () => Promise<boolean>, description: string): Promise<void> {
  await waitFor(async () => ((await acts()) ? true : undefined), { deadlineMs: 30_000, description });
}
