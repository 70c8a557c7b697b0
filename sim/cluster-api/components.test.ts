import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { servedComponents } from './components.js';

const COMPONENTS = `
apiVersion: v1
kind: Namespace
metadata: { name: capi-system }
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: machines.cluster.x-k8s.io
  annotations: { cert-manager.io/inject-ca-from: capi-system/capi-serving-cert, other: kept }
spec:
  conversion:
    strategy: Webhook
    webhook:
      clientConfig: { service: { name: capi-webhook-service, namespace: capi-system, path: /convert } }
      conversionReviewVersions: [v1]
  group: cluster.x-k8s.io
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: plain.example.com }
spec: { group: example.com }
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: capi-validating-webhook-configuration
  annotations: { cert-manager.io/inject-ca-from: capi-system/capi-serving-cert }
webhooks:
  - name: validation.cluster.cluster.x-k8s.io
    failurePolicy: Fail
    clientConfig: { service: { name: capi-webhook-service, namespace: capi-system, path: /validate-cluster } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: capi-controller-manager }
`;

const endpoint = { url: 'https://127.0.0.1:9443', caPem: 'CA PEM' };
const caBundle = Buffer.from('CA PEM').toString('base64');

describe('servedComponents', () => {
  it('sends conversion and admission calls to the manager’s URL, trusted through our CA', () => {
    const served = servedComponents(COMPONENTS, endpoint);
    assert.deepEqual(
      served.crds.map((crd) => (crd['metadata'] as { name: string }).name),
      ['machines.cluster.x-k8s.io', 'plain.example.com'],
    );
    const [machines, plain] = served.crds;
    const conversion = (machines?.['spec'] as { conversion: { webhook: Record<string, unknown> } })
      .conversion;
    assert.deepEqual(conversion.webhook['clientConfig'], { url: 'https://127.0.0.1:9443/convert', caBundle });
    assert.deepEqual(conversion.webhook['conversionReviewVersions'], ['v1']);
    assert.deepEqual((machines?.['metadata'] as { annotations: unknown }).annotations, { other: 'kept' });
    assert.deepEqual(plain?.['spec'], { group: 'example.com' }, 'a CRD without conversion is unchanged');

    const [validating] = served.validating;
    const [webhook] = validating?.['webhooks'] as Record<string, unknown>[];
    assert.deepEqual(webhook?.['clientConfig'], { url: 'https://127.0.0.1:9443/validate-cluster', caBundle });
    assert.equal(webhook['failurePolicy'], 'Fail');
    assert.deepEqual(served.mutating, []);
  });

  it('names the object whose webhook has no Service to re-point', () => {
    const broken = COMPONENTS.replace(
      'clientConfig: { service: { name: capi-webhook-service, namespace: capi-system, path: /validate-cluster } }',
      'clientConfig: { url: https://elsewhere }',
    );
    assert.throws(
      () => servedComponents(broken, endpoint),
      /ValidatingWebhookConfiguration capi-validating-webhook-configuration: clientConfig has no service/,
    );
  });
});
