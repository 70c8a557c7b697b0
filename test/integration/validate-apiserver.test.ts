import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ApiException, CustomObjectsApi } from '@kubernetes/client-node';
import { examples } from '../../api/v1beta1/examples.js';
import { GROUP, kinds } from '../../api/v1beta1/index.js';
import { KubeControlPlane, startControlPlane } from '../../sim/kube-control-plane/index.js';
import { allKindAdmissions } from '../../src/webhooks/kinds/index.js';
import { parseManifests } from '../../src/webhooks/manifests/parse-manifests.js';
import { crdSchemaCheck } from '../../src/webhooks/manifests/schema-check.js';
import { validateManifests, type ManifestResult } from '../../src/webhooks/manifests/validate-manifests.js';
import { createNamespace } from '../support/kube-objects.js';

const CRD_DIR = fileURLToPath(new URL('../../config/crd/bases/', import.meta.url));
const NAMESPACE = 'validate-parity';
const KiB = 1024;

type Json = Record<string, unknown>;

/** imageurl validate's verdict on one object, with the rules the CLI uses. */
function validate(object: Json): ManifestResult {
  const rules = {
    servedKinds: kinds.map((kind) => kind.kind),
    admissions: allKindAdmissions(),
    schemaCheck: crdSchemaCheck(kinds),
  };
  const [result] = validateManifests(parseManifests([{ name: '-', text: JSON.stringify(object) }]), rules);
  assert.ok(result);
  return result;
}

function machine(name: string, change: (object: Json) => void = () => undefined): Json {
  const object = structuredClone(examples.hcloudMachineTemplate) as Json;
  object['metadata'] = { name };
  change(object);
  return object;
}

/**
 * The claims of `imageurl validate` held against a real kube-apiserver and etcd: what it refuses,
 * a create with `kubectl apply`'s default strict field validation refuses too, and what it
 * passes, the apiserver stores.
 */
describe('imageurl validate agrees with the apiserver', () => {
  let controlPlane: KubeControlPlane | undefined;
  let objects: CustomObjectsApi;

  before(async () => {
    controlPlane = await startControlPlane({ installClusterApiCrds: false, crdPaths: [CRD_DIR] });
    const config = controlPlane.kubeConfig();
    objects = config.makeApiClient(CustomObjectsApi);
    await createNamespace(config, NAMESPACE);
  });
  after(async () => {
    await controlPlane?.stop();
  });

  /** The HTTP status and message of a strict create (201 when stored). */
  async function create(object: Json, version = 'v1beta1'): Promise<{ code: number; message: string }> {
    try {
      await objects.createNamespacedCustomObject({
        group: GROUP,
        version,
        plural: 'hcloudmachinetemplates',
        namespace: NAMESPACE,
        body: object,
        fieldValidation: 'Strict',
      });
      return { code: 201, message: '' };
    } catch (error) {
      assert.ok(error instanceof ApiException, String(error));
      return { code: error.code, message: String(error.body) };
    }
  }

  /** What, the object, validate's message, the apiserver's, and the version to post to. */
  const cases: [string, Json, RegExp, RegExp, string?][] = [
    [
      'an unknown field of metadata',
      machine('lables', (object) => ((object['metadata'] as Json)['lables'] = { a: 'b' })),
      /^metadata\.lables: unknown field; did you mean labels\?$/,
      /unknown field \\"metadata\.lables\\"/,
    ],
    [
      'an unknown field of the spec',
      machine(
        'typo',
        (object) => ((((object['spec'] as Json)['template'] as Json)['spec'] as Json)['imageUrl'] = 'x'),
      ),
      /^spec\.template\.spec\.imageUrl: unknown field; did you mean imageURL\?$/,
      /unknown field \\"spec\.template\.spec\.imageUrl\\"/,
    ],
    [
      'annotations over 256 KiB',
      machine(
        'annotations',
        (object) => ((object['metadata'] as Json)['annotations'] = { a: 'x'.repeat(300 * KiB) }),
      ),
      /^metadata\.annotations: Too long: may not be more than 262144 bytes$/,
      /metadata\.annotations: Too long: may not be more than 262144 bytes/,
    ],
    [
      'a version not served (v1beta3)',
      { ...machine('next'), apiVersion: `${GROUP}/v1beta3` },
      /apiVersion: Unsupported value: .*v1beta3 is not served \(served: v1beta1, v1beta2\)/,
      /404 page not found|the server could not find the requested resource/,
      'v1beta3',
    ],
  ];

  for (const [what, object, message, apiserverMessage, version] of cases) {
    it(`refuses ${what}, as the apiserver does`, async () => {
      const result = validate(object);
      assert.equal(result.status, 'invalid', what);
      assert.ok(
        result.problems.some((problem) => message.test(problem.message)),
        result.problems.map((problem) => problem.message).join('\n'),
      );
      const answer = await create(object, version);
      assert.ok(answer.code >= 400, `the apiserver answered ${answer.code}`);
      assert.match(answer.message, apiserverMessage);
    });
  }

  it('refuses an object over etcd’s 1.5 MiB, which the apiserver cannot store', async () => {
    // Labels are not limited in total, so they carry the bulk past every annotation limit.
    const labels = Object.fromEntries(
      Array.from({ length: 25_000 }, (_, index) => [`l${index}`, 'v'.repeat(63)]),
    );
    const object = machine('etcd', (json) => ((json['metadata'] as Json)['labels'] = labels));
    const result = validate(object);
    assert.ok(
      result.problems.some((problem) => /etcd refuses requests over 1\.5 MiB/.test(problem.message)),
      result.problems.map((problem) => problem.message).join('\n'),
    );
    const answer = await create(object);
    assert.ok(answer.code >= 400, `the apiserver answered ${answer.code}`);
    assert.match(answer.message, /request is too large/);
  });

  it('refuses annotations that kubectl apply’s last-applied copy of the object takes over 256 KiB', async () => {
    const annotations = { a: 'x'.repeat(200 * KiB) };
    const object = machine('applied', (json) => ((json['metadata'] as Json)['annotations'] = annotations));
    const result = validate(object);
    assert.ok(
      result.problems.some((problem) =>
        /kubectl apply adds in kubectl\.kubernetes\.io\/last-applied-configuration/.test(problem.message),
      ),
      result.problems.map((problem) => problem.message).join('\n'),
    );
    // What client-side kubectl apply sends: the object with its JSON copy as an annotation.
    const applied = machine('applied', (json) => {
      const last = { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(object) };
      (json['metadata'] as Json)['annotations'] = { ...annotations, ...last };
    });
    const answer = await create(applied);
    assert.equal(answer.code, 422, answer.message);
    assert.match(answer.message, /metadata\.annotations: Too long/);
  });

  it('passes what the apiserver stores (annotations within 256 KiB with the last-applied copy)', async () => {
    const annotations = { a: 'x'.repeat(100 * KiB) };
    const object = machine('fits', (json) => ((json['metadata'] as Json)['annotations'] = annotations));
    assert.equal(validate(object).status, 'valid', JSON.stringify(validate(object).problems));
    const applied = machine('fits', (json) => {
      const last = { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(object) };
      (json['metadata'] as Json)['annotations'] = { ...annotations, ...last };
    });
    const answer = await create(applied);
    assert.equal(answer.code, 201, answer.message);
  });
});
