import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { ApiException, CoreV1Api, CustomObjectsApi, V1Namespace } from '@kubernetes/client-node';
import { examples } from '../../api/v1beta1/examples.js';
import { type KubeControlPlane, startControlPlane } from '../../sim/kube-control-plane/index.js';
import { allKindAdmissions } from '../../src/webhooks/kinds/index.js';
import { startWebhookServer, type WebhookServer } from '../../src/webhooks/server/index.js';
import { kubeObject } from '../support/kube-objects.js';
import { registerWebhooks, waitUntilWebhooksAct } from '../support/webhook-registration.js';
import { createCertDir } from '../support/webhook-pki.js';

const GROUP = 'infrastructure.cluster.x-k8s.io';
const NAMESPACE = 'admission';
const CRDS = fileURLToPath(new URL('../../config/crd/bases', import.meta.url));
const plural = (kind: string): string => `${kind.toLowerCase()}s`;
const oci = 'oci://ghcr.io/example/foo:v1';
const URL_HINT =
  ' (want an absolute URL such as oci://ghcr.io/org/image:v1 or https://example.com/disk.img.zst)';
const NAME_HINT = ' (a file name below /shared such as image-url-command-install.sh)';

type Outcome =
  { accepted: true; object: Record<string, unknown> } | { accepted: false; code: number; errors: string[] };

interface Status {
  code: number;
  details?: { causes?: { field: string; message: string }[] };
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
      assert.ok(error instanceof ApiException, String(error));
      const status = JSON.parse(String(error.body)) as Status;
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

  async function update(
    object: Record<string, unknown>,
    change: (spec: Record<string, unknown>) => Record<string, unknown>,
  ): Promise<Outcome> {
    const created = await create(object);
    assert.ok(created.accepted, `could not create ${JSON.stringify(object)}: ${JSON.stringify(created)}`);
    const stored = created.object as { metadata: { name: string }; spec: Record<string, unknown> };
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

  const hcloudMachine = (name: string, spec: Record<string, unknown>): Record<string, unknown> => ({
    kind: 'HCloudMachine',
    metadata: { name },
    spec: { type: 'cpx22', ...spec },
  });
  const bareMetalMachine = (
    name: string,
    installImage: Record<string, unknown>,
  ): Record<string, unknown> => ({
    kind: 'HetznerBareMetalMachine',
    metadata: { name },
    spec: {
      installImage: { partitions: [{ mount: '/', fileSystem: 'ext4', size: 'all' }], ...installImage },
      sshSpec: { secretRef: { name: 'os-ssh', key: { name: 'name', publicKey: 'pub', privateKey: 'priv' } } },
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
        port: 0,
        host: '127.0.0.1',
        log: () => undefined,
      }),
    ]);
    const config = controlPlane.kubeConfig();
    objects = config.makeApiClient(CustomObjectsApi);
    await config.makeApiClient(CoreV1Api).createNamespace({
      body: kubeObject(V1Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE } }),
    });
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

  // CAPH's TestValidateHCloudMachineSpec (reference §2.6), with the spec's command prefix (case 9).
  const hcloudCreate: [string, Record<string, unknown>, string[]][] = [
    ['a valid imageURL machine', { imageURL: oci, imageURLCommand: 'image-url-command-foo.sh' }, []],
    [
      'an unparsable URL',
      { imageURL: 'not-a-valid-url', imageURLCommand: 'image-url-command-foo.sh' },
      [
        `spec.imageURL: Invalid value: "not-a-valid-url": parse "not-a-valid-url": invalid URI for request${URL_HINT}`,
      ],
    ],
    [
      'imageName with imageURL',
      { imageName: 'foo-name', imageURL: oci, imageURLCommand: 'image-url-command-foo.sh' },
      ['spec.imageName: Invalid value: "foo-name": imageName and imageURL are mutually exclusive'],
    ],
    [
      'imageURL without a command',
      { imageURL: oci },
      ['spec.imageURLCommand: Required value: imageURLCommand must be set when imageURL is set'],
    ],
    [
      'a command without imageURL',
      { imageName: 'ubuntu-24.04', imageURLCommand: 'image-url-command-foo.sh' },
      [
        'spec.imageURLCommand: Invalid value: "image-url-command-foo.sh": imageURLCommand requires imageURL to be set',
      ],
    ],
    [
      'a command path',
      { imageURL: oci, imageURLCommand: '/shared/image-url-command.sh' },
      [
        `spec.imageURLCommand: Invalid value: "/shared/image-url-command.sh": must be a basename without slashes${NAME_HINT}`,
      ],
    ],
    [
      'a command outside the pattern',
      { imageURL: oci, imageURLCommand: '1bad-command' },
      [
        `spec.imageURLCommand: Invalid value: "1bad-command": must match the regex ^image-url-command-[a-z0-9][a-z0-9._-]*$${NAME_HINT}`,
      ],
    ],
    [
      "'..' in the command",
      { imageURL: oci, imageURLCommand: 'image-url-command-foo..sh' },
      [`spec.imageURLCommand: Invalid value: "image-url-command-foo..sh": must not contain '..'${NAME_HINT}`],
    ],
    [
      'a command without the image-url-command- prefix',
      { imageURL: oci, imageURLCommand: 'install-foo.sh' },
      [
        `spec.imageURLCommand: Invalid value: "install-foo.sh": must match the regex ^image-url-command-[a-z0-9][a-z0-9._-]*$${NAME_HINT}`,
      ],
    ],
  ];
  hcloudCreate.forEach(([name, spec, errors], index) => {
    it(`HCloudMachine create: ${errors.length === 0 ? 'admits' : 'rejects'} ${name}`, async () => {
      const outcome = await create(hcloudMachine(`create-${index}`, spec));
      if (errors.length === 0) assert.ok(outcome.accepted, JSON.stringify(outcome));
      else assert.deepEqual(outcome, { accepted: false, code: 422, errors });
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

  // CAPH's TestValidateHCloudMachineSpecUpdate: exactly one Forbidden error each; identical specs pass.
  const base = {
    imageURL: oci,
    imageURLCommand: 'image-url-command-v1.sh',
    sshKeys: [{ name: 'ssh-key-1' }],
    placementGroupName: 'pg-1',
  };
  const hcloudUpdate: [string, (spec: Record<string, unknown>) => Record<string, unknown>, string[]][] = [
    ['type', (s) => ({ ...s, type: 'cx23' }), ['spec.type: Forbidden: field is immutable']],
    [
      'imageURL',
      (s) => ({ ...s, imageURL: 'oci://ghcr.io/example/foo:v2' }),
      ['spec.imageURL: Forbidden: field is immutable'],
    ],
    [
      'imageURLCommand',
      (s) => ({ ...s, imageURLCommand: 'image-url-command-v2.sh' }),
      ['spec.imageURLCommand: Forbidden: field is immutable'],
    ],
    [
      'sshKeys',
      (s) => ({ ...s, sshKeys: [{ name: 'ssh-key-1' }, { name: 'ssh-key-2' }] }),
      ['spec.sshKeys: Forbidden: field is immutable'],
    ],
    [
      'placementGroupName',
      (s) => ({ ...s, placementGroupName: 'pg-2' }),
      ['spec.placementGroupName: Forbidden: field is immutable'],
    ],
    ['nothing', (s) => s, []],
  ];
  hcloudUpdate.forEach(([changed, change, errors], index) => {
    it(`HCloudMachine update: ${errors.length === 0 ? 'admits' : 'forbids'} a change of ${changed}`, async () => {
      const outcome = await update(hcloudMachine(`update-${index}`, base), change);
      if (errors.length === 0) assert.ok(outcome.accepted, JSON.stringify(outcome));
      else assert.deepEqual(outcome, { accepted: false, code: 422, errors });
    });
  });

  it('HCloudMachine update: forbids a change of imageName', async () => {
    const outcome = await update(hcloudMachine('update-name', { imageName: 'ubuntu-24.04' }), (s) => ({
      ...s,
      imageName: 'centos-7',
    }));
    assert.deepEqual(outcome, {
      accepted: false,
      code: 422,
      errors: ['spec.imageName: Forbidden: field is immutable'],
    });
  });

  // CAPH's hetznerbaremetalmachine_validation_test.go, image-url-command cases.
  const command = {
    imageURLCommand: 'image-url-command-bm-test.sh',
    image: { url: 'oci://ghcr.io/example/ubuntu:v1' },
  };
  const bareMetalCreate: [string, Record<string, unknown>, string[]][] = [
    [
      'installimage with name and url',
      { image: { name: 'ubuntu-24.04', url: 'https://example.com/ubuntu-24.04.tar.gz' } },
      [],
    ],
    ['image-url-command mode', command, []],
    ['image-url-command mode with wwn', { ...command, deviceStringType: 'wwn' }, []],
    [
      'deviceStringType without a command',
      {
        deviceStringType: 'wwn',
        image: { name: 'ubuntu-24.04', url: 'https://example.com/ubuntu-24.04.tar.gz' },
      },
      [
        'spec.installImage.deviceStringType: Invalid value: "wwn": deviceStringType is only valid when imageURLCommand is set',
      ],
    ],
    [
      'a command without url',
      { imageURLCommand: 'image-url-command-bm-test.sh', image: {} },
      ['spec.installImage.image.url: Required value: url is required when imageURLCommand is set'],
    ],
    [
      'a command with image.name',
      { ...command, image: { ...command.image, name: 'ubuntu-24.04' } },
      [
        'spec.installImage.image.name: Invalid value: "ubuntu-24.04": name must be empty when imageURLCommand is set',
      ],
    ],
    [
      'a command path',
      { ...command, imageURLCommand: '/shared/image-url-command-bm-test.sh' },
      [
        `spec.installImage.imageURLCommand: Invalid value: "/shared/image-url-command-bm-test.sh": must be a basename without slashes${NAME_HINT}`,
      ],
    ],
  ];
  bareMetalCreate.forEach(([name, installImage, errors], index) => {
    it(`HetznerBareMetalMachine create: ${errors.length === 0 ? 'admits' : 'rejects'} ${name}`, async () => {
      const outcome = await create(bareMetalMachine(`bm-${index}`, installImage));
      if (errors.length === 0) assert.ok(outcome.accepted, JSON.stringify(outcome));
      else assert.deepEqual(outcome, { accepted: false, code: 422, errors });
    });
  });

  it('HetznerBareMetalMachine update: forbids a change of installImage', async () => {
    const outcome = await update(bareMetalMachine('bm-update', command), (s) => ({
      ...s,
      installImage: { ...(s['installImage'] as object), imageURLCommand: 'image-url-command-v2' },
    }));
    assert.deepEqual(outcome, {
      accepted: false,
      code: 422,
      errors: ['spec.installImage: Forbidden: installImage is immutable'],
    });
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
