// CAPH-style v1beta2 manifests (examples/v1beta2, written from CAPH's reference pages) are what
// `imageurl validate` passes and what a real kube-apiserver with our CRDs, admission webhooks
// and conversion webhook admits; a bad one is refused by both, naming the field.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { ApiException, CustomObjectsApi } from '@kubernetes/client-node';
import { GROUP, kinds } from '../../api/v1beta1/index.js';
import { type KubeControlPlane, startControlPlane } from '../../sim/kube-control-plane/index.js';
import { createCertDir } from '../../sim/webhook/webhook-pki.js';
import { servedDefinitionsLoader } from '../../src/cli/served-kinds.js';
import { allKindAdmissions } from '../../src/webhooks/kinds/index.js';
import { parseManifests } from '../../src/webhooks/manifests/parse-manifests.js';
import { validateManifests, type ManifestResult } from '../../src/webhooks/manifests/validate-manifests.js';
import { startWebhookServer, type WebhookServer } from '../../src/webhooks/server/index.js';
import { createNamespace } from '../support/kube-objects.js';
import { CRD_DIR } from '../support/kube-runtime-fixtures.js';
import { registerWebhooks, waitUntilWebhooksAct } from '../support/webhook-registration.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/v1beta2/', import.meta.url));
const NAMESPACE = 'v1beta2-examples';

type Json = Record<string, unknown>;

const pluralOf = (kind: string): string =>
  kinds.find((candidate) => candidate.kind === kind)?.plural ?? assert.fail(`no kind ${kind}`);

/** imageurl validate's verdicts, with the CLI's own rules. */
async function validate(source: string, text: string): Promise<ManifestResult[]> {
  const rules = await servedDefinitionsLoader()();
  return validateManifests(parseManifests([{ name: source, text }]), rules);
}

async function examples(): Promise<{ file: string; text: string; objects: Json[] }[]> {
  const files = (await readdir(EXAMPLES)).filter((name) => name.endsWith('.yaml')).sort();
  const { parseAllDocuments } = await import('yaml');
  return Promise.all(
    files.map(async (file) => {
      const text = await readFile(join(EXAMPLES, file), 'utf8');
      return { file, text, objects: parseAllDocuments(text).map((doc) => doc.toJS() as Json) };
    }),
  );
}

/** `actual` cut down to the keys `written` has (at every depth): a stored object without its defaults. */
function keptOf(actual: unknown, written: unknown): unknown {
  if (Array.isArray(actual) && Array.isArray(written))
    return actual.map((item, index) => keptOf(item, written[index]));
  if (typeof actual !== 'object' || actual === null || typeof written !== 'object' || written === null)
    return actual;
  const keys = Object.keys(written);
  return Object.fromEntries(
    Object.entries(actual)
      .filter(([key]) => keys.includes(key))
      .map(([key, value]) => [key, keptOf(value, (written as Json)[key])]),
  );
}

/** A copy of the HCloudMachineTemplate example with a command imageurl refuses (no `image-url-command-` prefix). */
async function badTemplate(name: string): Promise<Json> {
  const all = (await examples()).flatMap((example) => example.objects);
  const template = all.find((object) => object['kind'] === 'HCloudMachineTemplate');
  const bad = structuredClone(template ?? assert.fail('no HCloudMachineTemplate example'));
  (bad['metadata'] as Json)['name'] = name;
  (((bad['spec'] as Json)['template'] as Json)['spec'] as Json)['imageURLCommand'] = 'install.sh';
  return bad;
}

describe('CAPH-style v1beta2 manifests: imageurl validate and the apiserver (CRDs, admission and conversion webhooks) agree', () => {
  let controlPlane: KubeControlPlane | undefined;
  let server: WebhookServer | undefined;
  let objects: CustomObjectsApi;
  let scratch = '';

  const where = (
    object: Json,
    version: string,
  ): { group: string; version: string; namespace: string; plural: string } => ({
    group: GROUP,
    version,
    namespace: NAMESPACE,
    plural: pluralOf(String(object['kind'])),
  });

  async function create(object: Json, dryRun?: 'All'): Promise<{ code: number; message: string }> {
    try {
      await objects.createNamespacedCustomObject({
        ...where(object, 'v1beta2'),
        body: object,
        fieldValidation: 'Strict',
        ...(dryRun ? { dryRun } : {}),
      });
      return { code: 201, message: '' };
    } catch (error) {
      assert.ok(error instanceof ApiException, String(error));
      return { code: error.code, message: String(error.body) };
    }
  }

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'imageurl-v1beta2-examples-'));
    const { ca } = await createCertDir(join(scratch, 'certs'));
    server = await startWebhookServer({
      kinds: allKindAdmissions(),
      certDir: join(scratch, 'certs'),
      controllerUsername: 'system:serviceaccount:capi-system:imageurl',
      port: 0,
      host: '127.0.0.1',
      log: () => undefined,
    });
    const endpoint = { url: server.url, caPem: ca.certPem };
    controlPlane = await startControlPlane({
      installClusterApiCrds: false,
      crdPaths: [CRD_DIR],
      conversionWebhook: endpoint,
    });
    const config = controlPlane.kubeConfig();
    objects = config.makeApiClient(CustomObjectsApi);
    await createNamespace(config, NAMESPACE);
    await registerWebhooks(config, endpoint, allKindAdmissions());
    const bad = await badTemplate('warm-up');
    await waitUntilWebhooksAct(
      async () => (await create(bad, 'All')).message.includes('denied the request'),
      'the validating webhook to deny a dry-run create in v1beta2',
    );
  });

  after(async () => {
    await Promise.all([controlPlane?.stop(), server?.close()]);
    await rm(scratch, { recursive: true, force: true });
  });

  it('validate passes every example, and the apiserver stores each written in v1beta2, the same spec read in either version', async () => {
    const all = await examples();
    assert.ok(all.length > 0, 'examples/v1beta2 holds manifests');
    for (const { file, text, objects: manifests } of all) {
      const verdicts = await validate(file, text);
      for (const verdict of verdicts)
        assert.equal(
          verdict.status,
          'valid',
          `${file} ${verdict.kind}/${verdict.name}: ${JSON.stringify(verdict.problems)}`,
        );
      for (const object of manifests) {
        const name = String((object['metadata'] as Json)['name']);
        const answer = await create(object);
        assert.equal(answer.code, 201, `${file} ${String(object['kind'])}/${name}: ${answer.message}`);
        const stored = (await objects.getNamespacedCustomObject({
          ...where(object, 'v1beta1'),
          name,
        })) as Json;
        assert.equal(stored['apiVersion'], `${GROUP}/v1beta1`);
        // What was written, plus the schema's and the webhook's defaults.
        const spec = stored['spec'];
        assert.deepEqual(keptOf(spec, object['spec']), object['spec'], `${String(object['kind'])}/${name}`);
        const again = (await objects.getNamespacedCustomObject({
          ...where(object, 'v1beta2'),
          name,
        })) as Json;
        assert.deepEqual(again['spec'], stored['spec'], 'the same spec in both versions');
      }
    }
  });

  it('refuses a bad v1beta2 object in validate and in the admission webhook alike, naming field, value and what is allowed', async () => {
    const bad = await badTemplate('bad-command');
    const [verdict] = await validate('bad.yaml', JSON.stringify(bad));
    const problems = (verdict?.problems ?? []).map((problem) => problem.message);
    const expected =
      /spec\.template\.spec\.imageURLCommand: Invalid value: "install\.sh": must match the regex \^image-url-command-/;
    assert.ok(
      problems.some((message) => expected.test(message)),
      problems.join('\n'),
    );
    const answer = await create(bad);
    assert.equal(answer.code, 422, answer.message);
    assert.match(
      answer.message,
      /spec\.template\.spec\.imageURLCommand: Invalid value: \\"install\.sh\\": must match the regex/,
    );
  });
});
