import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { ADMIN_USER, KubeControlPlane, startControlPlane } from '../../sim/kube-control-plane/index.js';
import type { AdmissionAttributes } from '../../src/webhooks/kind-admission.js';
import { startWebhookServer, webhookName, type WebhookServer } from '../../src/webhooks/server/index.js';
import {
  DEFAULT_TAG,
  DEFAULTED_LABEL,
  PROBE,
  webhookProbeAdmission,
} from '../fixtures/webhook-probe-admission.js';
import { rejection } from '../support/kube-errors.js';
import { createNamespace } from '../support/kube-objects.js';
import { createCertDir } from '../../sim/webhook/webhook-pki.js';
import { registerWebhooks, waitUntilWebhooksAct } from '../support/webhook-registration.js';

const NAMESPACE = 'webhook-test';
const CRD = fileURLToPath(new URL('../fixtures/webhook-probe-crd.yaml', import.meta.url));
const PROBES = { group: PROBE.group, version: PROBE.version, plural: PROBE.plural, namespace: NAMESPACE };

interface Probe {
  metadata: { name: string; labels?: Record<string, string>; resourceVersion?: string };
  spec: { imageURL?: string; region?: string; tags?: Record<string, string> };
}

function probe(name: string, spec: Probe['spec']): Record<string, unknown> {
  return { apiVersion: `${PROBE.group}/${PROBE.version}`, kind: PROBE.kind, metadata: { name }, spec };
}

describe('admission webhooks behind a real kube-apiserver', () => {
  let controlPlane: KubeControlPlane | undefined;
  let server: WebhookServer | undefined;
  let objects: CustomObjectsApi;
  let scratch = '';
  const seen: AdmissionAttributes[] = [];
  const logs: string[] = [];

  function running(): KubeControlPlane {
    assert.ok(controlPlane, 'the control plane did not start');
    return controlPlane;
  }

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-webhook-it-'));
    const { ca } = await createCertDir(join(scratch, 'certs'));
    [controlPlane, server] = await Promise.all([
      startControlPlane({ installClusterApiCrds: false, crdPaths: [CRD] }),
      startWebhookServer({
        kinds: [webhookProbeAdmission(seen)],
        certDir: join(scratch, 'certs'),
        controllerUsername: 'system:serviceaccount:capi-system:imageurl',
        port: 0,
        host: '127.0.0.1',
        log: (message, fields) => logs.push(`${message} ${JSON.stringify(fields)}`),
      }),
    ]);
    const config = controlPlane.kubeConfig();
    objects = config.makeApiClient(CustomObjectsApi);
    await createNamespace(config, NAMESPACE);
    await registerWebhooks(config, { url: server.url, caPem: ca.certPem }, [
      { ...PROBE, default: (object: unknown) => object },
    ]);
    const registered = Date.now();
    await waitUntilWebhooksAct(async () => {
      const { status } = await rejection(
        objects.createNamespacedCustomObject({
          ...PROBES,
          body: probe('warm-up', { imageURL: 'x' }),
          dryRun: 'All',
        }),
      );
      return status.message?.includes('denied the request') === true;
    }, 'the validating webhook to deny a dry-run create');
    await waitUntilWebhooksAct(async () => {
      const body = probe('warm-up', { imageURL: 'oci://r/i:1' });
      const created = (await objects.createNamespacedCustomObject({
        ...PROBES,
        body,
        dryRun: 'All',
      })) as Probe;
      return created.metadata.labels?.[DEFAULTED_LABEL] === 'true';
    }, 'the mutating webhook to default a dry-run create');
    console.log(`webhook configurations active ${Date.now() - registered} ms after creation`);
  });

  after(async () => {
    await Promise.all([controlPlane?.stop(), server?.close()]);
    await rm(scratch, { recursive: true, force: true });
  });

  it('admits a valid object and stores it with its defaults applied', async () => {
    await objects.createNamespacedCustomObject({
      ...PROBES,
      body: probe('good', { imageURL: 'oci://r/i:1' }),
    });
    const stored = (await objects.getNamespacedCustomObject({ ...PROBES, name: 'good' })) as Probe;
    assert.equal(stored.spec.region, 'fsn1');
    assert.deepEqual(stored.spec.tags, { [DEFAULT_TAG]: 'platform' });
    assert.equal(stored.metadata.labels?.[DEFAULTED_LABEL], 'true');
    assert.equal(stored.spec.imageURL, 'oci://r/i:1');
  });

  it("rejects an invalid object with 422 and the apiserver's denial message, naming the field", async () => {
    const { status } = await rejection(
      objects.createNamespacedCustomObject({
        ...PROBES,
        body: probe('bad', { imageURL: 'ftp://example.com/x' }),
      }),
    );
    const denial =
      `admission webhook "${webhookName('validate', PROBE.kind)}" denied the request: ` +
      'WebhookProbe.infrastructure.cluster.x-k8s.io "bad" is invalid: ' +
      'spec.imageURL: Invalid value: "ftp://example.com/x": must be an https:// or oci:// URL';
    assert.equal(status.code, 422);
    assert.equal(status.reason, 'Invalid');
    assert.equal(status.message, denial);
    assert.deepEqual(status.details, {
      name: 'bad',
      group: 'infrastructure.cluster.x-k8s.io',
      kind: 'WebhookProbe',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: 'Invalid value: "ftp://example.com/x": must be an https:// or oci:// URL',
          field: 'spec.imageURL',
        },
      ],
    });
    await assert.rejects(objects.getNamespacedCustomObject({ ...PROBES, name: 'bad' }), /HTTP-Code: 404/);
  });

  // kubectl rebuilds the text of an Invalid status from details.kind, name and causes, so the
  // causes (field and message) are what users read, one per line when there are several.
  it('shows kubectl users every field error with its path', async (t) => {
    const kubectl = running().binaries.kubectl;
    if (kubectl === undefined) {
      t.skip('kubectl was not built (tools/envtest/install.sh builds it)');
      return;
    }
    const manifest = JSON.stringify(probe('bad-kubectl', { imageURL: 'http://plain', region: 'mars' }));
    const child = execFile(kubectl, [
      '--kubeconfig',
      running().kubeconfigPath,
      'create',
      '-n',
      NAMESPACE,
      '-f',
      '-',
    ]);
    child.stdin?.end(manifest);
    const stderr = await new Promise<string>((resolve) => {
      let text = '';
      child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.once('close', () => resolve(text));
    });
    assert.equal(
      stderr.trimEnd(),
      [
        'The WebhookProbe "bad-kubectl" is invalid: ',
        '* spec.imageURL: Invalid value: "http://plain": must be an https:// or oci:// URL',
        '* spec.region: Unsupported value: "mars": supported values: "fsn1", "nbg1", "hel1", "ash", "hil", "sin"',
      ].join('\n'),
    );
  });

  it('turns a throwing validator into a denial, and keeps serving', async () => {
    const { status } = await rejection(
      objects.createNamespacedCustomObject({ ...PROBES, body: probe('boom', { imageURL: 'explode' }) }),
    );
    assert.equal(status.code, 500);
    assert.equal(
      status.message,
      `admission webhook "${webhookName('validate', PROBE.kind)}" denied the request: ` +
        'internal error in validation of WebhookProbe "boom": the probe validator exploded',
    );
    assert.ok(
      logs.some((line) => line.startsWith('Admission handler failed') && line.includes('"name":"boom"')),
    );
    await objects.createNamespacedCustomObject({
      ...PROBES,
      body: probe('after-boom', { imageURL: 'https://x/y' }),
    });
  });

  it('gives validators the old object on updates, and who sent them', async () => {
    const stored = (await objects.getNamespacedCustomObject({ ...PROBES, name: 'good' })) as Probe;
    const moved = { ...stored, spec: { ...stored.spec, region: 'hel1' } };
    const { status } = await rejection(
      objects.replaceNamespacedCustomObject({ ...PROBES, name: 'good', body: moved }),
    );
    assert.equal(status.code, 422);
    assert.match(status.message ?? '', /"good" is invalid: spec\.region: Forbidden: field is immutable$/);

    const retagged = { ...stored, spec: { ...stored.spec, imageURL: 'oci://r/i:2' } };
    await objects.replaceNamespacedCustomObject({ ...PROBES, name: 'good', body: retagged });
    const update = seen
      .filter((a) => a.operation === 'UPDATE' && (a.object as Probe).metadata.name === 'good')
      .at(-1);
    assert.equal((update?.oldObject as Probe | undefined)?.spec.imageURL, 'oci://r/i:1');
    assert.equal((update?.object as Probe | undefined)?.spec.imageURL, 'oci://r/i:2');
    assert.deepEqual(update?.users, {
      requester: ADMIN_USER,
      controller: 'system:serviceaccount:capi-system:imageurl',
    });
  });

  it('is not asked about deletes (the rules cover CREATE and UPDATE)', async () => {
    const before = seen.length;
    await objects.deleteNamespacedCustomObject({ ...PROBES, name: 'after-boom' });
    assert.equal(seen.slice(before).filter((a) => a.operation === 'DELETE').length, 0);
  });
});
