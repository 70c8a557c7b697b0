/**
 * `clusterctl init`, `generate cluster` and `delete` for real: the clusterctl of the pinned
 * Cluster API against a real kube-apiserver, installing imageurl from the repository `npm run
 * release` writes, next to Cluster API's own providers rendered from the same module. There is
 * no kubelet, so no pod runs: clusterctl does not wait for providers unless told, cert-manager's
 * CRDs alone satisfy clusterctl's cert-manager check, and for admission our webhook runs in this
 * test while Cluster API's (which nothing serves) are removed.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { CustomObjectsApi, KubernetesObjectApi } from '@kubernetes/client-node';
import {
  findClusterctlAssets,
  startControlPlane,
  type ClusterctlAssets,
  type KubeControlPlane,
} from '../../sim/kube-control-plane/index.js';
import { waitFor } from '../../sim/process/wait-for.js';
import { createCertDir } from '../../sim/webhook/webhook-pki.js';
import { allKindAdmissions } from '../../src/webhooks/kinds/index.js';
import { startWebhookServer, type WebhookServer } from '../../src/webhooks/server/index.js';
import { clusterctlWorkspace, INFRASTRUCTURE_LABEL, type Clusterctl } from '../support/clusterctl.js';
import { substitute } from '../support/clusterctl-variables.js';
import { apiFailure } from '../support/kube-errors.js';
import { createNamespace } from '../support/kube-objects.js';
import { objectsOf, RELEASE_VERSION, runRelease, type K8sObject } from '../support/release-output.js';
import { runCommand, type CommandRun } from '../support/run-command.js';
import {
  pointConversionAt,
  pointWebhooksAt,
  removeWebhookConfigurations,
} from '../support/webhook-redirect.js';

const IMAGEURL = fileURLToPath(new URL('../../bin/imageurl.js', import.meta.url));
const PROVIDER_LABEL = 'cluster.x-k8s.io/provider';
const CLUSTERCTL_LABEL = 'clusterctl.cluster.x-k8s.io';
const WORKLOAD_NAMESPACE = 'workload';
const TEMPLATE_VARIABLES = {
  CONTROL_PLANE_ENDPOINT_HOST: 'api.test.example.com',
  HCLOUD_SSH_KEY: 'test-key',
  IMAGEURL_NODE_IMAGE_URL: 'oci://registry.example.com/node:v1.34.4',
};

async function exists(api: KubernetesObjectApi, object: K8sObject): Promise<boolean> {
  try {
    await api.read({ apiVersion: object.apiVersion, kind: object.kind, metadata: object.metadata });
    return true;
  } catch (error) {
    if (apiFailure(error).status.code === 404) return false;
    throw error;
  }
}

describe('clusterctl installs, templates and removes imageurl', { timeout: 900_000 }, () => {
  let assets: ClusterctlAssets;
  let controlPlane: KubeControlPlane | undefined;
  let webhook: WebhookServer | undefined;
  let scratch = '';
  let caPem = '';
  let clusterctl: Clusterctl;
  let components: K8sObject[] = [];
  let objects: KubernetesObjectApi;
  let admissionReady: Promise<void> | undefined;

  /** The control plane and webhook server before() started. */
  function started(): { controlPlane: KubeControlPlane; webhook: WebhookServer } {
    if (!controlPlane || !webhook)
      throw new Error('before() did not start the control plane and webhook server');
    return { controlPlane, webhook };
  }

  /** Server-side dry-run apply of `file` by kubectl: admission included, nothing stored. */
  async function dryRunApply(file: string): Promise<CommandRun & { output: string }> {
    const kubectl = started().controlPlane.binaries.kubectl;
    assert.ok(kubectl, 'kubectl is built with the control plane');
    const kubeconfig = ['--kubeconfig', started().controlPlane.kubeconfigPath];
    const applied = await runCommand(kubectl, [
      'apply',
      '--server-side',
      '--dry-run=server',
      '-f',
      file,
      ...kubeconfig,
    ]);
    return { ...applied, output: applied.stdout + applied.stderr };
  }

  /**
   * Nothing serves Cluster API's webhooks (no pods run): their configurations go. Ours stay as
   * clusterctl installed them, sent to our webhook server running in this test.
   */
  async function prepareAdmission(): Promise<void> {
    const config = started().controlPlane.kubeConfig();
    await createNamespace(config, WORKLOAD_NAMESPACE);
    const removed = await removeWebhookConfigurations(
      config,
      (labels) => labels[PROVIDER_LABEL] !== INFRASTRUCTURE_LABEL,
    );
    assert.ok(removed.length > 0, 'Cluster API installed webhook configurations');
    const ours = await pointWebhooksAt(config, INFRASTRUCTURE_LABEL, { url: started().webhook.url, caPem });
    assert.equal(ours.length, 2, ours.join(','));
    // Our CRDs' conversion (kubectl reads v1beta2 by default) goes to the same server.
    const converting = await pointConversionAt(config, INFRASTRUCTURE_LABEL, {
      url: started().webhook.url,
      caPem,
    });
    assert.ok(converting.length > 0, 'clusterctl installed our CRDs with a conversion webhook');
  }

  before(async () => {
    assets = findClusterctlAssets();
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-clusterctl-'));
    ({
      ca: { certPem: caPem },
    } = await createCertDir(join(scratch, 'certs')));
    // Both are kept as soon as they run, so after() stops whichever started when the other failed.
    const [plane, server] = await Promise.allSettled([
      startControlPlane({ installClusterApiCrds: false, crdPaths: [assets.certManagerCrds] }),
      startWebhookServer({
        kinds: allKindAdmissions(),
        certDir: join(scratch, 'certs'),
        controllerUsername: 'system:serviceaccount:imageurl-system:imageurl-controller-manager',
        port: 0,
        host: '127.0.0.1',
        log: () => undefined,
      }),
    ]);
    if (plane.status === 'fulfilled') controlPlane = plane.value;
    if (server.status === 'fulfilled') webhook = server.value;
    for (const outcome of [plane, server]) if (outcome.status === 'rejected') throw outcome.reason;
    const { controlPlane: running } = started();
    objects = KubernetesObjectApi.makeApiClient(running.kubeConfig());
    clusterctl = await clusterctlWorkspace(assets, {
      dir: scratch,
      kubeconfig: running.kubeconfigPath,
      version: RELEASE_VERSION,
    });
    const out = clusterctl.releaseDir(RELEASE_VERSION);
    const release = await runRelease([RELEASE_VERSION, '--out', out]);
    assert.equal(release.code, 0, release.stderr);
    components = objectsOf(
      substitute(await readFile(join(out, 'infrastructure-components.yaml'), 'utf8'), {}),
    );
  });

  after(async () => {
    await Promise.allSettled([controlPlane?.stop(), webhook?.close()]);
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('clusterctl init installs every object of the release, labelled, with its inventory entry', async (t) => {
    const v = assets.clusterApiVersion;
    const init = await clusterctl.run([
      'init',
      '--infrastructure',
      `imageurl:${RELEASE_VERSION}`,
      '--core',
      `cluster-api:${v}`,
      '--bootstrap',
      `kubeadm:${v}`,
      '--control-plane',
      `kubeadm:${v}`,
    ]);
    const printed = init.stdout + init.stderr;
    t.diagnostic(`clusterctl init printed:\n${printed}`);
    assert.equal(init.code, 0, printed);
    assert.match(printed, /Skipping installing cert-manager as it is already installed/);
    assert.match(
      printed,
      new RegExp(`Installing provider="${INFRASTRUCTURE_LABEL}" version="${RELEASE_VERSION}"`),
    );
    assert.ok(components.length > 10, `expected the whole release, got ${components.length} objects`);
    for (const object of components) {
      const live = (await objects.read({
        apiVersion: object.apiVersion,
        kind: object.kind,
        metadata: object.metadata,
      })) as unknown as K8sObject;
      const what = `${object.kind} ${object.metadata.name}`;
      assert.equal(live.metadata.labels?.[PROVIDER_LABEL], INFRASTRUCTURE_LABEL, what);
      assert.equal(live.metadata.labels[CLUSTERCTL_LABEL], '', what);
    }
    const inventory = (await started()
      .controlPlane.kubeConfig()
      .makeApiClient(CustomObjectsApi)
      .getNamespacedCustomObject({
        group: CLUSTERCTL_LABEL,
        version: 'v1alpha3',
        namespace: 'imageurl-system',
        plural: 'providers',
        name: INFRASTRUCTURE_LABEL,
      })) as Record<string, unknown>;
    assert.deepEqual(
      {
        providerName: inventory['providerName'],
        type: inventory['type'],
        version: inventory['version'],
      },
      { providerName: 'imageurl', type: 'InfrastructureProvider', version: RELEASE_VERSION },
    );
  });

  for (const flavor of ['image-url', 'hcloud-image-url', 'baremetal-image-url']) {
    it(`clusterctl generate cluster --flavor ${flavor} passes imageurl validate and is admitted`, async () => {
      admissionReady ??= prepareAdmission();
      await admissionReady;
      const generated = await clusterctl.run(
        [
          'generate',
          'cluster',
          `test-${flavor}`,
          '--flavor',
          flavor,
          '--kubernetes-version',
          'v1.34.4',
          '--control-plane-machine-count',
          '3',
          '--worker-machine-count',
          '2',
          '--target-namespace',
          WORKLOAD_NAMESPACE,
        ],
        TEMPLATE_VARIABLES,
      );
      assert.equal(generated.code, 0, generated.stderr);
      const file = join(scratch, `cluster-${flavor}.yaml`);
      await writeFile(file, generated.stdout);
      const kinds = objectsOf(generated.stdout).map((object) => object.kind);
      assert.ok(kinds.includes('Cluster') && kinds.includes('MachineHealthCheck'), kinds.join(','));

      const validated = await runCommand(process.execPath, [IMAGEURL, 'validate', file]);
      assert.equal(validated.code, 0, validated.stdout + validated.stderr);

      // Admitted as generated; with a broken image URL, denied by our webhook (so it was asked).
      // The apiserver picks webhook configuration changes up asynchronously: wait until it has.
      const broken = join(scratch, `cluster-${flavor}-broken.yaml`);
      const brokenText = generated.stdout.replaceAll(TEMPLATE_VARIABLES.IMAGEURL_NODE_IMAGE_URL, 'not-a-url');
      await writeFile(broken, brokenText);
      const [admitted, denied] = await waitFor(
        async () => {
          const outcomes = [await dryRunApply(file), await dryRunApply(broken)] as const;
          if (outcomes[0].code === 0 && /denied the request/.test(outcomes[1].output)) return outcomes;
          throw new Error(`admitted: ${outcomes[0].output}\nbroken: ${outcomes[1].output}`);
        },
        { deadlineMs: 60_000, description: 'the generated cluster admitted and the broken one denied' },
      );
      assert.equal(
        admitted.output.match(/serverside-applied \(server dry run\)/g)?.length,
        kinds.length,
        admitted.output,
      );
      // Every object carrying the broken URL was denied, each by one of our installed webhooks.
      const ours = new Set(
        components
          .filter((object) => object.kind === 'ValidatingWebhookConfiguration')
          .flatMap((object) => (object['webhooks'] as { name: string }[]).map((webhook) => webhook.name)),
      );
      const deniedBy = [
        ...denied.output.matchAll(/admission webhook "([^"]+)" denied the request: .*"not-a-url"/g),
      ];
      const brokenObjects = objectsOf(brokenText).filter((object) =>
        JSON.stringify(object).includes('not-a-url'),
      );
      assert.equal(deniedBy.length, brokenObjects.length, denied.output);
      assert.ok(
        deniedBy.every(([, name]) => ours.has(name ?? '')),
        denied.output,
      );
    });
  }

  it('clusterctl delete --infrastructure imageurl --include-crd removes the provider', async (t) => {
    const removed = await clusterctl.run(['delete', '--infrastructure', 'imageurl', '--include-crd']);
    t.diagnostic(`clusterctl delete printed:\n${removed.stdout}${removed.stderr}`);
    assert.equal(removed.code, 0, removed.stdout + removed.stderr);
    const remaining = async (kinds: (kind: string) => boolean): Promise<string[]> => {
      const left: string[] = [];
      for (const object of components.filter((candidate) => kinds(candidate.kind)))
        if (await exists(objects, object)) left.push(`${object.kind} ${object.metadata.name}`);
      return left;
    };
    // Gone at once: everything but the CRDs, and the namespace stays (no --include-namespace).
    assert.deepEqual(
      await remaining((kind) => kind !== 'Namespace' && kind !== 'CustomResourceDefinition'),
      [],
    );
    assert.deepEqual(await remaining((kind) => kind === 'Namespace'), ['Namespace imageurl-system']);
    const inventory = {
      apiVersion: `${CLUSTERCTL_LABEL}/v1alpha3`,
      kind: 'Provider',
      metadata: { name: INFRASTRUCTURE_LABEL, namespace: 'imageurl-system' },
    };
    assert.equal(await exists(objects, inventory), false);
    // A deleted CRD goes once the apiserver's own finalizer has removed its objects: wait for that.
    await waitFor(
      async () => {
        const crds = await remaining((kind) => kind === 'CustomResourceDefinition');
        if (crds.length === 0) return true;
        throw new Error(`still there: ${crds.join(', ')}`);
      },
      { deadlineMs: 60_000, description: "imageurl's CRDs removed" },
    );
  });
});
