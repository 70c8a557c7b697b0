import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { CustomObjectsApi } from '@kubernetes/client-node';
import { examples } from '../../api/v1beta1/examples.js';
import { type KubeControlPlane, startControlPlane } from '../../sim/kube-control-plane/index.js';
import { allKindAdmissions } from '../../src/webhooks/kinds/index.js';
import { startWebhookServer, type WebhookServer } from '../../src/webhooks/server/index.js';
import {
  createTitle,
  HCLOUD_IMAGE_URL as oci,
  hcloudMachineCreateCases,
  hcloudMachineUpdateCases,
  hetznerBareMetalMachineCreateCases,
  hetznerBareMetalMachineUpdateCases,
  updateTitle,
  type Spec,
} from '../fixtures/caph-webhook-cases.js';
import { apiFailure } from '../support/kube-errors.js';
import { createNamespace } from '../support/kube-objects.js';
import { registerWebhooks, waitUntilWebhooksAct } from '../support/webhook-registration.js';
import { createCertDir } from '../../sim/webhook/webhook-pki.js';

const GROUP = 'infrastructure.cluster.x-k8s.io';
const NAMESPACE = 'admission';
const CRDS = fileURLToPath(new URL('../../config/crd/bases', import.meta.url));
const plural = (kind: string): string => `${kind.toLowerCase()}s`;

type Outcome =
  { accepted: true; object: Record<string, unknown> } | { accepted: false; code: number; errors: string[] };

/** That `outcome` is what a case expects: admitted without errors, else 422 with exactly `errors`. */
function assertOutcome(outcome: Outcome, errors: readonly string[]): void {
  if (errors.length === 0) assert.ok(outcome.accepted, JSON.stringify(outcome));
  else assert.deepEqual(outcome, { accepted: false, code: 422, errors });
}

describe('admission of imageurl kinds through a real kube-apiserver and our webhook over TLS', () => {
  let controlPlane: KubeControlPlane | undefined;
  let server: WebhookServer | undefined;
  let objects: CustomObjectsApi;
  let scratch = '';

  async function submit(request: Promise<unknown>): Promise<Outcome> {
    try {
      return { accepted: true, object: (await request) as Record<string, unknown> };
    } catch (error) {
      const { status } = apiFailure(error);
      const errors = (status.details?.causes ?? []).map((cause) => `${cause.field}: ${cause.message}`);
      return { accepted: false, code: status.code, errors };
    }
  }

  function create(object: Record<string, unknown>, dryRun = false): Promise<Outcome> {
    const kind = String(object['kind']);
    const body = { apiVersion: `${GROUP}/v1beta1`, ...object };
    return submit(
      objects.createNamespacedCustomObject({
        group: GROUP,
        version: 'v1beta1',
        namespace: NAMESPACE,
        plural: plural(kind),
        body,
        ...(dryRun ? { dryRun: 'All' } : {}),
      }),
    );
  }

  async function update(object: Record<string, unknown>, change: (spec: Spec) => Spec): Promise<Outcome> {
    const created = await create(object);
    assert.ok(created.accepted, `could not create ${JSON.stringify(object)}: ${JSON.stringify(created)}`);
    const stored = created.object as { metadata: { name: string }; spec: Spec };
    const body = { ...stored, spec: change(stored.spec) };
    const kind = String(object['kind']);
    return submit(
      objects.replaceNamespacedCustomObject({
        group: GROUP,
        version: 'v1beta1',
        namespace: NAMESPACE,
        plural: plural(kind),
        name: stored.metadata.name,
        body,
      }),
    );
  }

  const hcloudMachine = (name: string, spec: Spec): Record<string, unknown> => ({
    kind: 'HCloudMachine',
    metadata: { name },
    spec: { type: 'cpx22', ...spec },
  });
  /** A machine with `spec`, an sshSpec and an installImage partition added. */
  const bareMetalMachine = (name: string, spec: Spec): Record<string, unknown> => ({
    kind: 'HetznerBareMetalMachine',
    metadata: { name },
    spec: {
      sshSpec: { secretRef: { name: 'os-ssh', key: { name: 'name', publicKey: 'pub', privateKey: 'priv' } } },
      ...spec,
      installImage: {
        partitions: [{ mount: '/', fileSystem: 'ext4', size: 'all' }],
        ...(spec['installImage'] as Spec | undefined),
      },
    },
  });

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-admission-'));
    const { ca } = await createCertDir(join(scratch, 'certs'));
    [controlPlane, server] = await Promise.all([
      startControlPlane({ installClusterApiCrds: false, crdPaths: [CRDS] }),
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
    await registerWebhooks(config, { url: server.url, caPem: ca.certPem }, allKindAdmissions());
    await waitUntilWebhooksAct(async () => {
      const denied = await create(
        hcloudMachine('warm-up', { imageURL: 'nope', imageURLCommand: 'image-url-command-x' }),
        true,
      );
      const defaulted = await create(
        hcloudMachine('warm-up', { imageURL: oci, imageURLCommand: 'image-url-command-x' }),
        true,
      );
      return (
        !denied.accepted &&
        defaulted.accepted &&
        (defaulted.object['spec'] as Record<string, unknown>)['publicNetwork'] !== undefined
      );
    }, 'our webhooks to deny and default HCloudMachines');
  });

  after(async () => {
    await Promise.all([controlPlane?.stop(), server?.close()]);
    await rm(scratch, { recursive: true, force: true });
  });

  // CAPH's webhook cases (test/fixtures/caph-webhook-cases.ts, shared with the unit tests of the
  // kinds), all of them, sent through the apiserver: the errors are the Status causes it returns.
  hcloudMachineCreateCases.forEach((testCase, index) => {
    it(`HCloudMachine create: ${createTitle(testCase)}`, async () => {
      assertOutcome(await create(hcloudMachine(`create-${index}`, testCase.spec)), testCase.errors);
    });
  });

  it('stores an HCloudMachine with publicNetwork defaulted by the mutating webhook', async () => {
    const outcome = await create(
      hcloudMachine('defaulted', { imageURL: oci, imageURLCommand: 'image-url-command-foo.sh' }),
    );
    assert.ok(outcome.accepted);
    assert.deepEqual((outcome.object['spec'] as Record<string, unknown>)['publicNetwork'], {
      enableIPv4: true,
      enableIPv6: true,
    });
  });

  // Each update case creates its `before`, then replaces the stored object (with its defaults)
  // with `change` applied to its spec.
  hcloudMachineUpdateCases.forEach((testCase, index) => {
    it(`HCloudMachine update: ${updateTitle(testCase)}`, async () => {
      const outcome = await update(hcloudMachine(`update-${index}`, testCase.before), testCase.change);
      assertOutcome(outcome, testCase.errors);
    });
  });

  hetznerBareMetalMachineCreateCases.forEach((testCase, index) => {
    it(`HetznerBareMetalMachine create: ${createTitle(testCase)}`, async () => {
      const machine = bareMetalMachine(`bm-${index}`, { installImage: testCase.installImage });
      assertOutcome(await create(machine), testCase.errors);
    });
  });

  hetznerBareMetalMachineUpdateCases.forEach((testCase, index) => {
    it(`HetznerBareMetalMachine update: ${updateTitle(testCase)}`, async () => {
      const outcome = await update(bareMetalMachine(`bm-update-${index}`, testCase.before), testCase.change);
      assertOutcome(outcome, testCase.errors);
    });
  });

  // A host's author must not point the controller at another namespace's bootstrap Secret (it
  // would be uploaded into their server) or at another namespace's machine.
  it('HetznerBareMetalHost: rejects references into another namespace, admits its own', async () => {
    const host = (name: string, spec: Spec): Record<string, unknown> => ({
      kind: 'HetznerBareMetalHost',
      metadata: { name },
      spec: { serverID: 4711, ...spec },
    });
    const foreign = `must be empty or the object's own namespace "${NAMESPACE}": references never leave it`;
    assertOutcome(
      await create(
        host('bm-foreign-userdata', {
          status: { hetznerClusterRef: 'c', userData: { name: 'bootstrap', namespace: 'victims' } },
        }),
      ),
      [`spec.status.userData.namespace: Invalid value: "victims": ${foreign}`],
    );
    assertOutcome(
      await create(host('bm-foreign-consumer', { consumerRef: { name: 'm', namespace: 'victims' } })),
      [`spec.consumerRef.namespace: Invalid value: "victims": ${foreign}`],
    );
    assertOutcome(
      await create(
        host('bm-own-userdata', {
          status: { hetznerClusterRef: 'c', userData: { name: 'bootstrap', namespace: NAMESPACE } },
        }),
      ),
      [],
    );
    const moved = await update(host('bm-moved-userdata', {}), (spec) => ({
      ...spec,
      status: { hetznerClusterRef: 'c', userData: { name: 'bootstrap', namespace: 'victims' } },
    }));
    assertOutcome(moved, [`spec.status.userData.namespace: Invalid value: "victims": ${foreign}`]);
  });

  it('admits the manifests CAPH documents, unchanged', async () => {
    for (const [name, example] of Object.entries(examples)) {
      const outcome = await create({
        ...example,
        metadata: { ...example.metadata, name: `example-${name.toLowerCase()}` },
      });
      assert.ok(outcome.accepted, `${name}: ${JSON.stringify(outcome)}`);
    }
  });

  it('shows kubectl users every error on its own line with the field path', async () => {
    const kubectl = controlPlane?.binaries.kubectl;
    assert.ok(kubectl, 'kubectl was not built (tools/envtest/install.sh builds it)');
    const manifest = join(scratch, 'bad.yaml');
    await writeFile(
      manifest,
      JSON.stringify({
        apiVersion: `${GROUP}/v1beta1`,
        kind: 'HCloudMachine',
        metadata: { name: 'kubectl-bad', namespace: NAMESPACE },
        spec: { type: 'cpx22', imageName: 'x', imageURL: 'nope', imageURLCommand: 'bad/name' },
      }),
    );
    const failure = await promisify(execFile)(kubectl, [
      '--kubeconfig',
      controlPlane?.kubeconfigPath ?? '',
      'apply',
      '-f',
      manifest,
    ]).then(
      () => assert.fail('kubectl apply succeeded'),
      (error: unknown) => (error as { stderr: string }).stderr,
    );
    assert.match(failure, /The HCloudMachine "kubectl-bad" is invalid: /);
    assert.match(
      failure,
      /\* spec\.imageName: Invalid value: "x": imageName and imageURL are mutually exclusive/,
    );
    assert.match(failure, /\* spec\.imageURL: Invalid value: "nope": parse "nope": invalid URI for request/);
    assert.match(
      failure,
      /\* spec\.imageURLCommand: Invalid value: "bad\/name": must be a basename without slashes/,
    );
  });
});
