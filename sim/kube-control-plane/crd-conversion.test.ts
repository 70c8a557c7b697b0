import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { servableCrd } from './crd-conversion.js';

const schema = { openAPIV3Schema: { type: 'object' } };
type Json = Record<string, unknown>;

function field(object: Json, ...path: string[]): unknown {
  let current: unknown = object;
  for (const key of path) current = (current as Json | undefined)?.[key];
  return current;
}
const versionNames = (crd: Json): unknown[] =>
  (field(crd, 'spec', 'versions') as Json[]).map((version) => version['name']);

const shipped = (): Json => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: {
    name: 'widgets.example.invalid',
    annotations: { 'cert-manager.io/inject-ca-from': 'system/serving-cert', keep: 'me' },
  },
  spec: {
    group: 'example.invalid',
    names: { kind: 'Widget', plural: 'widgets' },
    scope: 'Namespaced',
    versions: [
      { name: 'v1beta1', served: true, storage: true, schema },
      { name: 'v1beta2', served: true, storage: false, schema },
    ],
    conversion: {
      strategy: 'Webhook',
      webhook: {
        conversionReviewVersions: ['v1'],
        clientConfig: { service: { name: 'webhook-service', namespace: 'system', path: '/convert' } },
      },
    },
  },
});

describe('a shipped CRD on a test apiserver', () => {
  it('sends its conversion to the webhook server running here, trusted through its CA', () => {
    const crd = servableCrd(shipped(), { url: 'https://127.0.0.1:9443', caPem: 'PEM' });
    assert.deepEqual(field(crd, 'spec', 'conversion', 'webhook', 'clientConfig'), {
      url: 'https://127.0.0.1:9443/convert',
      caBundle: Buffer.from('PEM').toString('base64'),
    });
    assert.deepEqual(field(crd, 'spec', 'conversion', 'webhook', 'conversionReviewVersions'), ['v1']);
    assert.deepEqual(versionNames(crd), ['v1beta1', 'v1beta2']);
    assert.deepEqual(field(crd, 'metadata', 'annotations'), { keep: 'me' });
  });

  it('serves its storage version alone when no webhook server runs, so no read needs a conversion', () => {
    const original = shipped();
    const crd = servableCrd(original, undefined);
    assert.deepEqual(versionNames(crd), ['v1beta1']);
    assert.deepEqual(field(crd, 'spec', 'conversion'), { strategy: 'None' });
    assert.deepEqual(versionNames(original), ['v1beta1', 'v1beta2'], 'the input is not changed');
  });

  it('leaves a CRD without a Service-named conversion webhook as it is', () => {
    const single = shipped();
    delete (single['spec'] as Json)['conversion'];
    assert.equal(servableCrd(single, undefined), single);
  });
});
