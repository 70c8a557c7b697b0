import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { CONVERSION_DATA_ANNOTATION } from '../../api/conversion/index.js';
import { buildCrd } from '../../api/crd/crd.js';
import { examples } from '../../api/v1beta1/examples.js';
import { GROUP, hcloudMachineKind, hetznerClusterKind } from '../../api/v1beta1/index.js';
import { type KubeControlPlane, startControlPlane } from '../../sim/kube-control-plane/index.js';
import { createCertDir } from '../../sim/webhook/webhook-pki.js';
import { allKindAdmissions } from '../../src/webhooks/kinds/index.js';
import { startWebhookServer, type WebhookServer } from '../../src/webhooks/server/index.js';
import { createNamespace } from '../support/kube-objects.js';

const NAMESPACE = 'conversion';
const KINDS = [hcloudMachineKind, hetznerClusterKind];
const TIME = '2026-12-07T21:00:00Z';

type Json = Record<string, unknown>;
type Version = 'v1beta1' | 'v1beta2';

const plural = (kind: string): string => `${kind.toLowerCase()}s`;

/** A condition in both spellings: v1beta1 (Cluster API's old type) and metav1.Condition. */
const oldCondition = { type: 'Ready', status: 'True', lastTransitionTime: TIME };
const metaCondition = {
  type: 'Ready',
  status: 'True',
  reason: 'Ready',
  message: '',
  lastTransitionTime: TIME,
};

function field(object: Json, ...path: string[]): unknown {
  let current: unknown = object;
  for (const key of path) current = (current as Json | undefined)?.[key];
  return current;
}

describe('v1beta1 and v1beta2 through a real kube-apiserver and our conversion webhook', () => {
  let controlPlane: KubeControlPlane | undefined;
  let server: WebhookServer | undefined;
  let objects: CustomObjectsApi;
  let scratch = '';
  /** Each object as the old, v1beta1-only CRD stored it, before the upgrade. */
  const storedBefore = new Map<string, Json>();

  const where = (
    kind: string,
    version: Version,
  ): { group: string; version: Version; namespace: string; plural: string } => ({
    group: GROUP,
    version,
    namespace: NAMESPACE,
    plural: plural(kind),
  });

  async function get(kind: string, name: string, version: Version): Promise<Json> {
    return (await objects.getNamespacedCustomObject({ ...where(kind, version), name })) as Json;
  }

  async function create(version: Version, object: Json, status?: Json): Promise<Json> {
    const kind = String(object['kind']);
    const body = {
      ...object,
      apiVersion: `${GROUP}/${version}`,
      metadata: { ...(object['metadata'] as Json) },
    };
    const created = (await objects.createNamespacedCustomObject({ ...where(kind, version), body })) as Json;
    if (status === undefined) return created;
    const name = String(field(created, 'metadata', 'name'));
    return (await objects.replaceNamespacedCustomObjectStatus({
      ...where(kind, version),
      name,
      body: { ...created, status },
    })) as Json;
  }

  async function writeCrds(dir: string, render: (crd: Json) => Json): Promise<string> {
    await mkdir(dir, { recursive: true });
    for (const kind of KINDS) {
      const crd = render(structuredClone(buildCrd(kind)) as unknown as Json);
      await writeFile(join(dir, `${kind.plural}.yaml`), JSON.stringify(crd));
    }
    return dir;
  }

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-conversion-'));
    const { ca } = await createCertDir(join(scratch, 'certs'));
    [controlPlane, server] = await Promise.all([
      startControlPlane({ installClusterApiCrds: false }),
      startWebhookServer({
        kinds: allKindAdmissions(),
        certDir: join(scratch, 'certs'),
        controllerUsername: 'system:serviceaccount:capi-system:imageurl',
        port: 0,
        host: '127.0.0.1',
        log: () => undefined,
      }),
    ]);
    const config = controlPlane.kubeConfig();
    objects = config.makeApiClient(CustomObjectsApi);
    await createNamespace(config, NAMESPACE);
    // The CRDs as imageurl shipped them before v1beta2: one version, no conversion.
    await controlPlane.installCrds([
      await writeCrds(join(scratch, 'old'), (crd) => {
        const spec = crd['spec'] as Json;
        delete spec['conversion'];
        return { ...crd, spec: { ...spec, versions: (spec['versions'] as Json[]).slice(0, 1) } };
      }),
    ]);
    storedBefore.set(
      'HCloudMachine',
      await create(
        'v1beta1',
        { ...examples.hcloudMachine, metadata: { name: 'stored-before' } },
        {
          ready: true,
          bootState: 'OperatingSystemRunning',
          conditions: [oldCondition],
        },
      ),
    );
    storedBefore.set(
      'HetznerCluster',
      await create(
        'v1beta1',
        { ...examples.hetznerCluster, metadata: { name: 'stored-before' } },
        {
          ready: true,
          failureDomains: { nbg1: { controlPlane: true }, fsn1: { controlPlane: true } },
        },
      ),
    );
    // The upgrade: the two-version CRDs, their conversion webhook on our server (by URL: it runs
    // here, not behind a Service). Installing waits until both versions list the stored objects.
    const caBundle = Buffer.from(ca.certPem).toString('base64');
    await controlPlane.installCrds([
      await writeCrds(join(scratch, 'new'), (crd) => {
        const spec = crd['spec'] as { conversion: { webhook: { clientConfig: unknown } } };
        spec.conversion.webhook.clientConfig = { url: `${server?.url}/convert`, caBundle };
        return crd;
      }),
    ]);
  });

  after(async () => {
    await Promise.all([controlPlane?.stop(), server?.close()]);
    await rm(scratch, { recursive: true, force: true });
  });

  it('reads an HCloudMachine stored by the old v1beta1-only CRD in both versions, and updates it in both', async () => {
    const before = storedBefore.get('HCloudMachine') ?? assert.fail();
    assert.deepEqual(await get('HCloudMachine', 'stored-before', 'v1beta1'), before);
    const v1beta2 = await get('HCloudMachine', 'stored-before', 'v1beta2');
    assert.equal(v1beta2['apiVersion'], `${GROUP}/v1beta2`);
    assert.deepEqual(v1beta2['spec'], before['spec']);
    assert.deepEqual(v1beta2['status'], {
      bootState: 'OperatingSystemRunning',
      initialization: { provisioned: true },
      deprecated: { v1beta1: { conditions: [oldCondition] } },
    });

    const labelled = { ...(v1beta2['metadata'] as Json), labels: { team: 'blue' } };
    await objects.replaceNamespacedCustomObject({
      ...where('HCloudMachine', 'v1beta2'),
      name: 'stored-before',
      body: { ...v1beta2, metadata: labelled },
    });
    const afterV1beta2Write = await get('HCloudMachine', 'stored-before', 'v1beta1');
    assert.deepEqual(field(afterV1beta2Write, 'metadata', 'labels'), { team: 'blue' });
    assert.deepEqual(afterV1beta2Write['status'], before['status']);
    assert.equal(field(afterV1beta2Write, 'metadata', 'annotations'), undefined);

    await objects.replaceNamespacedCustomObjectStatus({
      ...where('HCloudMachine', 'v1beta1'),
      name: 'stored-before',
      body: { ...afterV1beta2Write, status: { ...(before['status'] as Json), ready: false } },
    });
    const updated = await get('HCloudMachine', 'stored-before', 'v1beta2');
    assert.deepEqual(field(updated, 'status', 'initialization'), { provisioned: false });
    assert.deepEqual(field(updated, 'metadata', 'labels'), { team: 'blue' });
  });

  it('reads a HetznerCluster stored before the upgrade with its failure domains as a list by name', async () => {
    const before = storedBefore.get('HetznerCluster') ?? assert.fail();
    const v1beta2 = await get('HetznerCluster', 'stored-before', 'v1beta2');
    assert.deepEqual(v1beta2['status'], {
      initialization: { provisioned: true },
      failureDomains: [
        { name: 'fsn1', controlPlane: true },
        { name: 'nbg1', controlPlane: true },
      ],
    });
    assert.deepEqual(await get('HetznerCluster', 'stored-before', 'v1beta1'), before);
  });

  it('reads an object written in v1beta1 in v1beta2, and writes it back unchanged, what v1beta2 cannot hold kept in the annotation', async () => {
    const written = await create(
      'v1beta1',
      { ...examples.hcloudMachine, metadata: { name: 'written-v1beta1' } },
      {
        ready: true,
        failureReason: 'CreateError',
        conditions: [oldCondition],
        v1beta2: {},
      },
    );
    const v1beta2 = await get('HCloudMachine', 'written-v1beta1', 'v1beta2');
    assert.deepEqual(v1beta2['status'], {
      initialization: { provisioned: true },
      deprecated: { v1beta1: { conditions: [oldCondition], failureReason: 'CreateError' } },
    });
    assert.ok(field(v1beta2, 'metadata', 'annotations', CONVERSION_DATA_ANNOTATION), 'no conversion data');
    // Written back in v1beta2 as read, the status converts to exactly what v1beta1 held.
    await objects.replaceNamespacedCustomObjectStatus({
      ...where('HCloudMachine', 'v1beta2'),
      name: 'written-v1beta1',
      body: v1beta2,
    });
    const back = await get('HCloudMachine', 'written-v1beta1', 'v1beta1');
    assert.deepEqual(back['status'], written['status']);
    assert.deepEqual(back['spec'], written['spec']);
    assert.equal(field(back, 'metadata', 'annotations'), undefined);
  });

  it('reads an object written in v1beta2 in v1beta1 with the contract fields in their v1beta1 places', async () => {
    await create(
      'v1beta2',
      { ...examples.hcloudMachine, metadata: { name: 'written-v1beta2' } },
      {
        initialization: { provisioned: true },
        conditions: [metaCondition],
        deprecated: { v1beta1: { failureMessage: 'gone' } },
      },
    );
    const v1beta1 = await get('HCloudMachine', 'written-v1beta2', 'v1beta1');
    assert.equal(v1beta1['apiVersion'], `${GROUP}/v1beta1`);
    assert.deepEqual(v1beta1['status'], {
      ready: true,
      v1beta2: { conditions: [metaCondition] },
      failureMessage: 'gone',
    });
    const v1beta2 = await get('HCloudMachine', 'written-v1beta2', 'v1beta2');
    assert.deepEqual(field(v1beta2, 'status', 'conditions'), [metaCondition]);
    assert.deepEqual(field(v1beta2, 'status', 'initialization'), { provisioned: true });
  });

  it('defaults a v1beta2 HetznerCluster status without initialization to not provisioned in both versions', async () => {
    // v1beta1 requires status.ready and defaults it to false; the stored object gets that default
    // on every read, so v1beta2 reads it back as initialization.provisioned: false.
    await create(
      'v1beta2',
      { ...examples.hetznerCluster, metadata: { name: 'written-v1beta2' } },
      {
        conditions: [metaCondition],
      },
    );
    const v1beta1 = await get('HetznerCluster', 'written-v1beta2', 'v1beta1');
    assert.equal(field(v1beta1, 'status', 'ready'), false);
    assert.deepEqual(field(v1beta1, 'status', 'v1beta2'), { conditions: [metaCondition] });
    const v1beta2 = await get('HetznerCluster', 'written-v1beta2', 'v1beta2');
    assert.deepEqual(v1beta2['status'], {
      conditions: [metaCondition],
      initialization: { provisioned: false },
    });
  });
});
