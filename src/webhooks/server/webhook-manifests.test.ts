import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { webhookPath } from './routes.js';
import { allKindAdmissions } from '../kinds/index.js';
import { webhookConfigurations, webhookManifestsYaml, webhookName } from './webhook-manifests.js';

/** The kinds CAPH v1beta1 has webhooks for and we serve. */
const SIX_KINDS = [
  { kind: 'HCloudMachine', plural: 'hcloudmachines', defaults: true },
  { kind: 'HCloudMachineTemplate', plural: 'hcloudmachinetemplates', defaults: true },
  { kind: 'HetznerCluster', plural: 'hetznerclusters', defaults: false },
  { kind: 'HetznerBareMetalMachine', plural: 'hetznerbaremetalmachines', defaults: false },
  { kind: 'HetznerBareMetalMachineTemplate', plural: 'hetznerbaremetalmachinetemplates', defaults: false },
  { kind: 'HetznerBareMetalHost', plural: 'hetznerbaremetalhosts', defaults: false },
];

const checkedIn = new URL('../../../config/webhook/manifests.yaml', import.meta.url);

interface Webhook {
  name: string;
  clientConfig: { service?: { name: string; namespace: string; path: string }; url?: string };
  rules: { apiGroups: string[]; apiVersions: string[]; operations: string[]; resources: string[] }[];
  admissionReviewVersions: string[];
  sideEffects: string;
  failurePolicy: string;
}

interface Configuration {
  kind: string;
  metadata: { name: string; annotations: Record<string, string> };
  webhooks: Webhook[];
}

describe('webhook manifests', () => {
  it('config/webhook/manifests.yaml is the generated file (regenerate: node --import tsx src/webhooks/server/write-webhook-manifests.ts)', async () => {
    assert.equal(await readFile(checkedIn, 'utf8'), webhookManifestsYaml(allKindAdmissions()));
  });

  it('has a validating webhook for each of the six kinds and a mutating one for each that defaults', async () => {
    const documents = parseAllDocuments(await readFile(checkedIn, 'utf8')).map(
      (document) => document.toJS() as Configuration,
    );
    assert.deepEqual(
      documents.map((d) => [d.kind, d.metadata.name]),
      [
        ['MutatingWebhookConfiguration', 'mutating-webhook-configuration'],
        ['ValidatingWebhookConfiguration', 'validating-webhook-configuration'],
      ],
    );
    for (const [document, type] of [
      [documents[0], 'mutate'],
      [documents[1], 'validate'],
    ] as const) {
      assert.ok(document);
      assert.equal(
        document.metadata.annotations['cert-manager.io/inject-ca-from'],
        '$(CERTIFICATE_NAMESPACE)/$(CERTIFICATE_NAME)',
      );
      for (const { kind, plural, defaults } of SIX_KINDS) {
        const webhook: Webhook | undefined = document.webhooks.find(
          (w) => w.name === webhookName(type, kind),
        );
        if (type === 'mutate' && !defaults) {
          assert.equal(webhook, undefined, `${kind} has no defaulter and so no mutating webhook`);
          continue;
        }
        assert.ok(webhook, `${document.kind} has no webhook for ${kind}`);
        assert.deepEqual(webhook.clientConfig, {
          service: { name: 'webhook-service', namespace: 'system', path: webhookPath(type, kind) },
        });
        assert.deepEqual(webhook.rules, [
          {
            apiGroups: ['infrastructure.cluster.x-k8s.io'],
            apiVersions: ['v1beta1'],
            operations: ['CREATE', 'UPDATE'],
            resources: [plural],
          },
        ]);
        assert.deepEqual(
          [webhook.admissionReviewVersions, webhook.sideEffects, webhook.failurePolicy],
          [['v1'], 'None', 'Fail'],
        );
      }
    }
  });

  it('names webhooks as CAPH does', () => {
    assert.equal(
      webhookName('validate', 'HCloudMachine'),
      'validation.hcloudmachine.infrastructure.cluster.x-k8s.io',
    );
    assert.equal(
      webhookName('mutate', 'HetznerCluster'),
      'mutation.hetznercluster.infrastructure.cluster.x-k8s.io',
    );
  });

  it('takes another client config and annotations (for a URL-addressed test webhook)', () => {
    const [mutating] = webhookConfigurations(
      [{ kind: 'WebhookProbe', plural: 'webhookprobes', default: (o) => o }],
      {
        clientConfig: (path) => ({ url: `https://127.0.0.1:9443${path}`, caBundle: 'Q0E=' }),
        annotations: {},
      },
    ) as unknown as Configuration[];
    assert.deepEqual(mutating?.metadata.annotations, {});
    assert.deepEqual(mutating.webhooks[0]?.clientConfig, {
      url: 'https://127.0.0.1:9443/mutate-infrastructure-cluster-x-k8s-io-v1beta1-webhookprobe',
      caBundle: 'Q0E=',
    });
  });
});
